import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MemoryStore } from '../store/memory-store.js';
import { StatusError } from '../store/status-error.js';
import type { UserInfo } from './authorize.js';
import { tokensFor } from './service-account-tokens.js';

/** kube-sim's admin (the kubeconfig it writes): in system:masters, like a cluster's admin. */
export const ADMIN_USER: UserInfo = {
  name: 'kubernetes-admin',
  groups: ['system:masters', 'system:authenticated'],
};

const SERVICE_ACCOUNTS = { group: '', version: 'v1', resource: 'serviceaccounts' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };

function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized', {});
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user a ServiceAccount token stands for, checked against the stored ServiceAccount. */
export function serviceAccountUser(
  store: MemoryStore,
  token: string,
  now: Date,
): UserInfo | 'invalid' | undefined {
  const claims = tokensFor(store).verify(token);
  if (!claims) return undefined;
  const k = claims['kubernetes.io'];
  if (claims.exp !== undefined && claims.exp * 1000 <= now.getTime()) return 'invalid';
  const sa = store.getShared(SERVICE_ACCOUNTS, k.namespace, k.serviceaccount.name);
  if (!sa || sa.metadata.uid !== k.serviceaccount.uid) return 'invalid';
  if (k.secret) {
    // A legacy token is valid while its Secret exists and holds it.
    const secret = store.getShared(SECRETS, k.namespace, k.secret.name);
    const held = (secret?.['data'] as Record<string, string> | undefined)?.['token'];
    if (!held || Buffer.from(held, 'base64').toString('utf8') !== token) return 'invalid';
  }
  return {
    name: `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}`,
    uid: k.serviceaccount.uid,
    groups: [
      'system:serviceaccounts',
      `system:serviceaccounts:${k.namespace}`,
      'system:authenticated',
    ],
  };
}

/**
 * Who sent a request: the admin (kube-sim's token, or any request when kube-sim has no token, as
 * before RBAC), or the ServiceAccount whose token it carries. A bad token is a 401.
 */
export function authenticate(
  store: MemoryStore,
  req: IncomingMessage,
  adminToken: string | undefined,
  now: Date,
): UserInfo {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  const token = m?.[1]?.trim();
  if (token) {
    if (adminToken && sameToken(token, adminToken)) return ADMIN_USER;
    const sa = serviceAccountUser(store, token, now);
    if (sa === 'invalid') throw unauthorized();
    if (sa) return sa;
  }
  if (adminToken) throw unauthorized();
  return ADMIN_USER;
}
