// The Bascule dashboard: sign in with an API key, then the pages that key's role may see.
import { ApiError, api, session, type WhoAmI } from './api.js';
import { el } from './dom.js';
import { batches } from './pages/batches.js';
import { keys } from './pages/keys.js';
import { models } from './pages/models.js';
import { overview } from './pages/overview.js';
import { routes } from './pages/routes.js';
import './style.css';

const TITLES: Record<string, string> = {
  overview: 'Overview',
  models: 'Models',
  routes: 'Routes',
  keys: 'Keys and tenants',
  batches: 'Batches and jobs',
};
const WINDOWS: [string, number][] = [
  ['1 h', 60],
  ['6 h', 360],
  ['24 h', 1440],
];
const REFRESH_MS = 10_000;

const app = document.getElementById('app')!;
let me: WhoAmI | undefined;
let minutes = 60;
let timer: number | undefined;

function signInForm(message?: string): void {
  me = undefined;
  const input = el('input');
  input.type = 'password';
  input.name = 'key';
  input.placeholder = 'bsc-...';
  input.autocomplete = 'off';
  input.required = true;
  input.dataset.testid = 'key-input';
  const button = el('button', { text: 'Sign in', testid: 'sign-in' });
  button.type = 'submit';
  const form = el(
    'form',
    { class: 'signin' },
    el('h1', { text: 'Bascule' }),
    el('p', { text: 'Sign in with an API key. It is kept in this tab only (sessionStorage).' }),
    input,
    button,
  );
  // POST, never GET: a form that failed to run its script must not put the key in a URL.
  form.method = 'post';
  if (message) form.append(el('p', { class: 'error', text: message, testid: 'sign-in-error' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    session.signIn(input.value.trim());
    void start();
  });
  app.replaceChildren(form);
  input.focus();
}

async function start(): Promise<void> {
  if (!session.key()) return signInForm();
  try {
    me = await api<WhoAmI>('/api/v1/dashboard/whoami');
  } catch (err) {
    session.signOut();
    return signInForm(err instanceof ApiError ? err.message : String(err));
  }
  await render();
}

function page(): string {
  const p = location.hash.replace(/^#\/?/, '') || 'overview';
  return me?.pages.includes(p) ? p : 'overview';
}

async function render(): Promise<void> {
  if (!me) return;
  window.clearTimeout(timer);
  const current = page();
  const nav = el('nav');
  for (const p of me.pages) {
    const a = el('a', { text: TITLES[p] ?? p, testid: `nav-${p}` });
    a.href = `#/${p}`;
    if (p === current) a.className = 'active';
    nav.append(a);
  }
  const windowPick = el('select', { testid: 'window' });
  for (const [label, m] of WINDOWS) {
    const o = el('option', { text: `last ${label}` });
    o.value = String(m);
    o.selected = m === minutes;
    windowPick.append(o);
  }
  windowPick.addEventListener('change', () => {
    minutes = Number(windowPick.value);
    void render();
  });
  const out = el('button', { text: 'Sign out', testid: 'sign-out' });
  out.addEventListener('click', () => {
    session.signOut();
    signInForm();
  });
  const who = el('span', {
    class: 'who',
    text: `${me.name} · ${me.role} · tenant ${me.tenant}`,
    testid: 'who',
  });
  const links = el('span', { class: 'links' });
  if (me.prometheusUrl) {
    const a = el('a', { text: 'Prometheus metrics (longer history)' });
    a.href = me.prometheusUrl;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    links.append(a);
  }
  const header = el(
    'header',
    {},
    el('strong', { text: 'Bascule' }),
    nav,
    windowPick,
    who,
    links,
    out,
  );
  const main = el(
    'main',
    { testid: `page-${current}` },
    el('h1', { text: TITLES[current] ?? current }),
  );
  app.replaceChildren(header, main);
  try {
    if (current === 'overview') await overview(main, me, minutes);
    else if (current === 'models') await models(main, minutes);
    else if (current === 'routes') await routes(main, me, minutes);
    else if (current === 'keys') await keys(main, minutes);
    else if (current === 'batches') await batches(main);
    main.dataset.loaded = 'true';
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session.signOut();
      return signInForm(err.message);
    }
    main.append(
      el('p', { class: 'error', text: err instanceof Error ? err.message : String(err) }),
    );
    main.dataset.loaded = 'error';
  }
  timer = window.setTimeout(() => void render(), REFRESH_MS);
}

window.addEventListener('hashchange', () => void render());
void start();
