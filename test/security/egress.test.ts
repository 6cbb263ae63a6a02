import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createProviderClient,
  parseEgressAllowList,
  providerEgressPolicy,
  type ProviderClient,
  type Resolve,
} from '@bascule/providers';
import {
  QueueError,
  checkWebhookUrl,
  createWebhookClient,
  deliverWebhook,
  derivedWebhookSecrets,
} from '@bascule/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerResource, routeResource } from '../gateway/support/fixtures.js';
import { startTestGateway, type TestGateway } from '../gateway/support/harness.js';

/** A listener on loopback that records what reaches it (the attacker's, in issue 21). */
interface Listener {
  url: string;
  port: number;
  seen: IncomingMessage[];
  close(): Promise<void>;
}

async function listen(
  answer: (req: IncomingMessage) => [number, Record<string, string>],
): Promise<Listener> {
  const seen: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    const [status, headers] = answer(req);
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A resolver that answers every name with one address (a rebinding DNS server, in effect). */
const resolveTo =
  (address: string): Resolve =>
  () =>
    Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);

const delivery = (url: string) => ({ id: 'msg_1', tenant: 't', url, body: '{"ok":true}' });
const secrets = derivedWebhookSecrets('egress-test-signing-key');

describe('webhook URLs: every address form, checked at connect time and never redirected', () => {
  let hook: Listener;
  let redirect: Listener;

  beforeAll(async () => {
    hook = await listen(() => [204, {}]);
    redirect = await listen(() => [302, { location: `${hook.url}/landed` }]);
  });
  afterAll(async () => {
    await hook?.close();
    await redirect?.close();
  });

  it.each([
    'http://[::ffff:127.0.0.1]:9/x',
    'http://[::ffff:7f00:1]:9/x',
    'http://[::ffff:169.254.169.254]/latest',
    'http://[::127.0.0.1]:9/x',
    'http://[::ffff:0:127.0.0.1]:9/x',
    'http://[64:ff9b::7f00:1]:9/x',
    'http://[2002:7f00:1::]:9/x',
    'http://[fe80::1]/x',
    'http://2130706433:9/x',
    'http://0x7f.1:9/x',
    'http://169.254.169.254/latest',
  ])('refuses %s when the job is created (400 naming webhook_url)', (url) => {
    let err: unknown;
    try {
      checkWebhookUrl(url, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueueError);
    expect((err as QueueError).status).toBe(400);
    expect((err as QueueError).param).toBe('webhook_url');
  });

  it('refuses a public-looking name that resolves to loopback at connect time (DNS rebinding)', async () => {
    const url = `http://hooks.example.com:${hook.port}/rebound`;
    expect(checkWebhookUrl(url, {}).hostname).toBe('hooks.example.com');
    const client = createWebhookClient({}, resolveTo('127.0.0.1'));
    try {
      await expect(deliverWebhook(delivery(url), secrets, {}, client)).rejects.toThrow(
        /egress refused.*loopback/,
      );
      expect(hook.seen.filter((r) => r.url === '/rebound')).toHaveLength(0);
    } finally {
      await client.close();
    }
    // The same delivery, with loopback explicitly allowed, does arrive: the refusal above was
    // the check, not a broken connection.
    const allow = { allow: parseEgressAllowList('127.0.0.0/8') };
    const allowed = createWebhookClient(allow, resolveTo('127.0.0.1'));
    try {
      expect(await deliverWebhook(delivery(url), secrets, allow, allowed)).toBe(204);
      const got = hook.seen.filter((r) => r.url === '/rebound');
      expect(got).toHaveLength(1);
      expect(got[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    } finally {
      await allowed.close();
    }
  });

  it('does not follow a redirect', async () => {
    const allow = { allow: parseEgressAllowList('127.0.0.0/8') };
    const client = createWebhookClient(allow);
    try {
      await expect(
        deliverWebhook(delivery(`${redirect.url}/hop`), secrets, allow, client),
      ).rejects.toThrow(/answered 302/);
      expect(redirect.seen).toHaveLength(1);
      expect(hook.seen.filter((r) => r.url === '/landed')).toHaveLength(0);
    } finally {
      await client.close();
    }
  });
});

describe('Provider base URLs: the key goes only where the egress policy allows', () => {
  let attacker: Listener;
  const gateways: TestGateway[] = [];
  const clients: ProviderClient[] = [];

  const gatewayTo = async (baseURL: string, allow: string, resolve?: Resolve) => {
    const client = createProviderClient({
      ...(resolve ? {} : { egress: providerEgressPolicy(parseEgressAllowList(allow)) }),
      retry: { maxRetries: 0 },
    });
    clients.push(client);
    const provider = providerResource('openai', 'openai', attacker.url, ['gpt-4o-mini']);
    provider.spec.baseURL = baseURL;
    const gw = await startTestGateway({
      providers: [provider],
      routes: [routeResource('chat', { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] })],
      extra: { providerClient: client },
    });
    gateways.push(gw);
    return gw;
  };
  const ask = (gw: TestGateway) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
    });

  beforeAll(async () => {
    attacker = await listen(() => [500, {}]);
  });
  afterAll(async () => {
    for (const g of gateways) await g.close();
    for (const c of clients) await c.close();
    await attacker?.close();
  });

  it('never sends the key to loopback unless the allow-list names it', async () => {
    const refused = await gatewayTo(`${attacker.url}/v1`, '');
    const r = await ask(refused);
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(attacker.seen).toHaveLength(0);
    // With loopback allowed (as the local stack does for its simulators) the call is made.
    const lab = await gatewayTo(`${attacker.url}/v1`, '127.0.0.0/8');
    await ask(lab);
    expect(attacker.seen.length).toBeGreaterThan(0);
    expect(attacker.seen[0]!.headers.authorization).toMatch(/^Bearer /);
  });

  it.each([
    'http://169.254.169.254/v1',
    'http://[::ffff:169.254.169.254]/v1',
    'http://[fd00:ec2::254]/v1',
  ])('refuses the metadata address %s even with loopback allowed', async (baseURL) => {
    const before = attacker.seen.length;
    const gw = await gatewayTo(baseURL, '127.0.0.0/8');
    const r = await ask(gw);
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(attacker.seen.length).toBe(before);
  });
});
