import type { Express } from 'express';
import { CreateKeyRequestSchema, type KeyStore } from '@bascule/gateway';
import { allowQuery, requireRole } from '../access.js';
import { ApiError, parseBody } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';

/**
 * POST/GET /api/v1/keys, DELETE /api/v1/keys/{id}. Admins manage every tenant's keys;
 * operators manage their own tenant's user and operator keys.
 */
export function keyRoutes(app: Express, deps: ApiDeps): void {
  const store = (): KeyStore => {
    if (!deps.keys)
      throw new ApiError(503, 'keys_unavailable', 'API keys need Redis (BASCULE_REDIS_URL)');
    return deps.keys;
  };
  app.post('/api/v1/keys', async (req, res) => {
    const p = requireRole(res, 'admin', 'operator');
    allowQuery(req);
    const body = parseBody(CreateKeyRequestSchema, req.body);
    if (p.role !== 'admin') {
      if (body.role === 'admin')
        throw new ApiError(403, 'forbidden', 'only admin keys may create admin keys', '.role');
      if (body.tenant !== undefined && body.tenant !== p.tenant)
        throw new ApiError(
          403,
          'forbidden',
          `an operator key creates keys in its own tenant (${p.tenant})`,
          '.tenant',
        );
    }
    const { key, info } = await store().create(body, {
      tenant: p.role === 'admin' ? 'default' : p.tenant,
    });
    res.status(201).json({ ...info, key, note: 'store this key now: it is shown only once' });
  });
  app.get('/api/v1/keys', async (req, res) => {
    const p = requireRole(res, 'admin', 'operator');
    allowQuery(req);
    res.json({ items: await store().list(p.role === 'admin' ? undefined : p.tenant) });
  });
  app.delete('/api/v1/keys/:id', async (req, res) => {
    const p = requireRole(res, 'admin', 'operator');
    allowQuery(req);
    const id = String(req.params.id);
    const info = /^key_[0-9a-f]{16}$/.test(id) ? await store().get(id) : undefined;
    if (!info || (p.role !== 'admin' && info.tenant !== p.tenant))
      throw new ApiError(404, 'not_found', `no key with id "${id.slice(0, 40)}"`);
    await store().revoke(id);
    res.json({ id, result: 'revoked' });
  });
}
