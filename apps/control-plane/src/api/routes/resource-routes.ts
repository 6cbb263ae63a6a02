import type { Express } from 'express';
import { toKubeError } from '@bascule/kube';
import { allowQuery, nameParam, namespaceOf, requireRole } from '../access.js';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { PLURALS, clean, crd, type KubeObject, type Plural } from '../resource-kinds.js';

/** GET/DELETE /api/v1/{models,providers,routes}[/{name}] (?namespace=). */
export function resourceRoutes(app: Express, deps: ApiDeps): void {
  const custom = deps.kube.custom;
  for (const plural of Object.keys(PLURALS) as Plural[]) {
    app.get(`/api/v1/${plural}`, async (req, res) => {
      requireRole(res, 'admin', 'operator');
      allowQuery(req, 'namespace');
      const namespace = namespaceOf(req, deps.namespace);
      const list = (await call(`list ${plural}`, () =>
        custom.listNamespacedCustomObject(crd(plural, namespace)),
      )) as { items: KubeObject[] };
      res.json({ kind: `${PLURALS[plural]}List`, items: list.items.map(clean) });
    });
    app.get(`/api/v1/${plural}/:name`, async (req, res) => {
      requireRole(res, 'admin', 'operator');
      allowQuery(req, 'namespace');
      res.json(
        clean(await getObject(deps, plural, namespaceOf(req, deps.namespace), nameParam(req))),
      );
    });
    app.delete(`/api/v1/${plural}/:name`, async (req, res) => {
      requireRole(res, 'admin', 'operator');
      allowQuery(req, 'namespace');
      const namespace = namespaceOf(req, deps.namespace);
      const name = nameParam(req);
      await call(`delete ${PLURALS[plural]} ${namespace}/${name}`, () =>
        custom.deleteNamespacedCustomObject({ ...crd(plural, namespace), name }),
      );
      res.json({ kind: PLURALS[plural], name, namespace, result: 'deleted' });
    });
  }
}

export async function getObject(
  deps: ApiDeps,
  plural: Plural,
  namespace: string,
  name: string,
): Promise<KubeObject> {
  try {
    return (await deps.kube.custom.getNamespacedCustomObject({
      ...crd(plural, namespace),
      name,
    })) as KubeObject;
  } catch (err) {
    const e = toKubeError(err, `get ${PLURALS[plural]} ${namespace}/${name}`);
    if (e.status === 404)
      throw new ApiError(
        404,
        'not_found',
        `${PLURALS[plural]} "${name}" not found in namespace ${namespace}`,
      );
    throw e;
  }
}

export async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw toKubeError(err, what);
  }
}
