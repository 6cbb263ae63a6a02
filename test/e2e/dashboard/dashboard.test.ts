/// <reference lib="dom" />
// Scenario 12: the dashboard, in Debian's chromium (headless, playwright-core), against
// `node scripts/start.mjs` (what `pnpm start` runs) with traffic from the openai SDK.
// (1) An admin signs in with the printed admin key at the printed dashboard URL (the key lands in
//     sessionStorage, never in a URL) and sees each page with non-empty plots after traffic.
// (2) The L4 nodes go down (the printed overflow recipe): "chat" overflows to GPT-5 mini and the
//     overview shows an overflow share by reason within a minute.
// (3) A user-role key sees only its own traffic: its requests, its key, no Models or Routes pages,
//     and the API refuses it the scopes it may not read.
// BASCULE_DASHBOARD_SCREENSHOTS=<dir> also saves a screenshot of each page there
// (`pnpm docs:screenshots` regenerates docs/img/dashboard-*.png).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@bascule/test-support';
import {
  cleanEnv,
  has,
  printed,
  spawnStart,
  type StartProcess,
} from '../quickstart/support/start-process.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = has(CHROMIUM);
const hasRedis = has('redis-server');
const hasKubectl = has('kubectl', 'version');
const SHOTS = process.env.BASCULE_DASHBOARD_SCREENSHOTS;
// CI installs chromium (.ci/run): there, a missing browser is a failure, not a skip.
if (process.env.CI && !hasChromium)
  throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium || !hasRedis || !hasKubectl)('scenario 12: the dashboard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bsc-dashboard-'));
  const stateDir = join(dir, 'state');
  let start: StartProcess;
  let browser: Browser;
  let page: Page;
  let dashboard = '';
  let api = '';
  let adminKey = '';
  let userKey = '';
  let jobId = '';
  let admin: OpenAI;
  let l4Nodes: string[] = [];
  let overflowBefore = 0;
  const kubectl = (...args: string[]) => {
    const r = spawnSync('kubectl', ['--kubeconfig', join(stateDir, 'kubeconfig'), ...args], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const chat = (client: OpenAI, content: string, stream = false) =>
    client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content }], stream: stream as false })
      .withResponse();

  beforeAll(async () => {
    start = spawnStart(
      [
        '--state-dir',
        stateDir,
        ...['--gateway-port', '0', '--api-port', '0', '--metrics-port', '0', '--kube-port', '0'],
      ],
      cleanEnv(),
    );
    await start.waitFor('Press Ctrl-C to stop everything.', 55_000);
    const out = start.stdout();
    dashboard = printed(out, 'dashboard');
    api = dashboard.replace(/\/dashboard\/$/, '');
    adminKey = printed(out, 'admin key');
    l4Nodes = /annotate node ((?:node-l4-\d+ ?)+) sim\.bascule\.dev/
      .exec(out)![1]!
      .trim()
      .split(' ');
    const gateway = printed(out, 'gateway \\(OpenAI-compatible\\)');
    admin = new OpenAI({ baseURL: gateway, apiKey: adminKey, maxRetries: 0 });
    const created = await fetch(`${api}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'dash-user', tenant: 'team-a', role: 'user', rpm: 600 }),
    });
    expect(created.status).toBe(201);
    userKey = ((await created.json()) as { key: string }).key;
    const user = new OpenAI({ baseURL: gateway, apiKey: userKey, maxRetries: 0 });
    // Traffic: simple prompts (Llama), one complex (GPT-5), streams (TTFT), the user's 3, a batch.
    const simple = ['Say hello in five words.', 'What is 2 + 2?', 'Name a colour.'];
    await Promise.all([
      ...simple.map((q) => chat(admin, q)),
      ...simple.map((q) =>
        chat(admin, q, true).then(async ({ data }) => {
          for await (const _ of data as unknown as AsyncIterable<unknown>);
        }),
      ),
      chat(
        admin,
        'Write a Python function that merges two sorted lists, then prove it correct step by step.',
      ),
      ...simple.map((q) => chat(user, q)),
    ]);
    const lines = simple.map((q, n) =>
      JSON.stringify({
        custom_id: `q${n}`,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'batch', max_tokens: 16, messages: [{ role: 'user', content: q }] },
      }),
    );
    const file = await admin.files.create({
      purpose: 'batch',
      file: await toFile(Buffer.from(lines.join('\n')), 'dash.jsonl'),
    });
    await admin.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const job = await fetch(`${api}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        route: 'chat',
        body: { messages: [{ role: 'user', content: 'hi' }] },
      }),
    });
    expect(job.status).toBe(202);
    jobId = ((await job.json()) as { id: string }).id;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    if (SHOTS) mkdirSync(resolve(SHOTS), { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (start && start.child.exitCode === null) {
      start.child.kill('SIGINT');
      // pnpm start stops everything on Ctrl-C; past the deadline it is killed.
      await waitFor(
        'pnpm start to exit',
        () => start.child.exitCode !== null || start.child.signalCode !== null,
        15_000,
      ).catch(() => start.child.kill('SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  /** Opens a page and waits until it has loaded (its data-loaded attribute). */
  async function open(name: string): Promise<void> {
    await page.evaluate((n) => (location.hash = `#/${n}`), name);
    await page.waitForSelector(`main[data-testid="page-${name}"][data-loaded="true"]`, {
      timeout: 15_000,
    });
  }
  /** Titles of the page's plots that have data, and of those that have none. */
  const plots = () =>
    page.$$eval('section.plot', (cards) =>
      cards.map((c) => ({
        title: (c as HTMLElement).dataset.title!,
        points: Number((c as HTMLElement).dataset.points),
        canvas: c.querySelector('canvas') !== null,
      })),
    );
  /** Waits (re-rendering the page) until every named plot has data. */
  async function plotsWithData(name: string, titles: RegExp[], shot = name): Promise<void> {
    await waitFor(
      `plots with data on ${name}: ${titles.join(', ')}`,
      async () => {
        await open(name);
        const ps = await plots();
        return titles.every((t) => ps.some((p) => t.test(p.title) && p.points > 0 && p.canvas));
      },
      30_000,
    );
    if (SHOTS)
      await page.screenshot({
        path: join(resolve(SHOTS), `dashboard-${shot}.png`),
        fullPage: true,
      });
  }

  it('signs an admin in (key kept in sessionStorage only) and shows every page with plots', async () => {
    await page.goto(`${api}/`);
    expect(page.url()).toBe(dashboard);
    await page.fill('[data-testid="key-input"]', adminKey);
    await page.click('[data-testid="sign-in"]');
    await page.waitForSelector('[data-testid="who"]');
    expect(await page.textContent('[data-testid="who"]')).toContain('admin');
    expect(page.url()).not.toContain(adminKey);
    expect(await page.evaluate(() => Object.values(sessionStorage) as string[])).toEqual([
      adminKey,
    ]);
    expect(await page.$$eval('nav a', (as) => as.map((a) => a.textContent))).toEqual([
      'Overview',
      'Models',
      'Routes',
      'Keys and tenants',
      'Batches and jobs',
    ]);

    await plotsWithData('overview', [
      /^Requests$/,
      /^Tokens$/,
      /^Cost$/,
      /^Latency$/,
      /^Time to first token/,
    ]);
    // The 10 interactive requests are all counted (within a flush); the batch lines come on top.
    await waitFor(
      'the interactive requests on the overview',
      async () => {
        await open('overview');
        return Number(await page.textContent('[data-testid="total-requests"]')) >= 10;
      },
      15_000,
    );
    // What overflowed so far (a busy machine may overflow on queue wait); the next test needs more.
    overflowBefore = Number(
      await page.getAttribute('[data-testid="overflow-share"]', 'data-count'),
    );
    await plotsWithData('models', [
      /llama-3-1-8b-instruct: replicas/,
      /llama-3-1-8b-instruct: requests served/,
    ]);
    expect(await page.textContent('[data-testid="table-models"]')).toMatch(
      /llama-3-1-8b-instruct\s*vllm\s*1\/1/,
    );
    await plotsWithData('routes', [/^chat: decisions by target and reason/, /^chat: strong share/]);
    await plotsWithData('keys', [/^Requests per key/]);
    const keysText = (await page.textContent('[data-testid="table-keys"]'))!;
    expect(keysText).toContain('dash-user');
    // The bootstrap admin key has no budget: its spend is today's metered cost, above zero.
    expect(Number(/bootstrap-admin.*?\$(\d+\.\d+) today/.exec(keysText)?.[1])).toBeGreaterThan(0);
    await plotsWithData('batches', [/^Batch progress/]);
    expect(await page.textContent('[data-testid="table-batches"]')).toMatch(/batch_/);
    expect(await page.textContent('[data-testid="table-jobs"]')).toContain(jobId);
  });

  it('shows an overflow on the overview within a minute of the L4 nodes going down', async () => {
    const t0 = Date.now();
    kubectl('annotate', 'node', ...l4Nodes, 'sim.bascule.dev/state=down', '--overwrite');
    try {
      // Users keep chatting: once the Model has no replica, "chat" overflows to GPT-5 mini.
      const reason = await waitFor(
        'a chat request that overflowed',
        async () => {
          const { response } = await chat(admin, 'Hi');
          const r = response.headers.get('x-bascule-route-reason') ?? '';
          return r.startsWith('overflow:') ? r : undefined;
        },
        45_000,
      );
      const why = reason.slice('overflow:'.length);
      await waitFor(
        'the overflow on the overview',
        async () => {
          await open('overview');
          const p = (await plots()).find((x) => /^Overflow/.test(x.title))!;
          const count = await page.getAttribute('[data-testid="overflow-share"]', 'data-count');
          const label = await page.textContent('.stat:has([data-testid="overflow-share"]) .label');
          return p.points > 0 && Number(count) > overflowBefore && label!.includes(why);
        },
        60_000 - (Date.now() - t0),
      );
      expect(Date.now() - t0).toBeLessThan(60_000);
      if (SHOTS)
        await page.screenshot({
          path: join(resolve(SHOTS), 'dashboard-overview-overflow.png'),
          fullPage: true,
        });
    } finally {
      kubectl('annotate', 'node', ...l4Nodes, 'sim.bascule.dev/state=up', '--overwrite');
    }
  });

  it('shows a user-role key only its own data', async () => {
    await page.click('[data-testid="sign-out"]');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.fill('[data-testid="key-input"]', userKey);
    await page.click('[data-testid="sign-in"]');
    await page.waitForSelector('[data-testid="who"]');
    expect(await page.textContent('[data-testid="who"]')).toContain(
      'dash-user · user · tenant team-a',
    );
    expect(await page.$$eval('nav a', (as) => as.map((a) => a.textContent))).toEqual([
      'Overview',
      'Keys and tenants',
      'Batches and jobs',
    ]);
    await plotsWithData('overview', [/^Requests$/, /^Tokens$/], 'user-overview');
    // Its own 3 requests, not the admin's dozens (waiting only for the last flush).
    await waitFor(
      "the user's own 3 requests",
      async () => {
        await open('overview');
        return (await page.textContent('[data-testid="total-requests"]')) === '3';
      },
      15_000,
    );
    await open('keys');
    const rows = await page.$$eval('[data-testid="table-keys"] tbody tr', (trs) =>
      trs.map((tr) => tr.querySelector('td')!.textContent),
    );
    expect(rows).toEqual(['dash-user']);
    await open('batches');
    expect(await page.textContent('[data-testid="table-batches"]')).not.toMatch(/batch_/);
    expect(await page.textContent('[data-testid="table-jobs"]')).not.toMatch(/job_/);
    // A page it may not see falls back to the overview; the API refuses it the data outright.
    await page.evaluate(() => (location.hash = '#/models'));
    await page.waitForSelector('main[data-testid="page-overview"][data-loaded="true"]');
    const statuses = await page.evaluate(async () => {
      const h = { authorization: `Bearer ${sessionStorage.getItem('bascule.apiKey')}` };
      const get = async (p: string) => (await fetch(p, { headers: h })).status;
      return [
        await get('/api/v1/dashboard/series?scopes=route:chat'),
        await get('/api/v1/dashboard/series?scopes=key:bootstrap-admin'),
        await get('/api/v1/dashboard/routes'),
        await get('/api/v1/models'),
      ];
    });
    expect(statuses).toEqual([403, 403, 403, 403]);
  });
});
