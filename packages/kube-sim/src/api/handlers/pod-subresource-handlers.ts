// The pod subresources kube-sim serves besides status: pods/eviction (POST, policy/v1
// Eviction; kubectl drain), pods/log (GET; kubectl logs, with container, follow, previous,
// timestamps, tailLines, sinceSeconds, limitBytes). pods/exec, attach and portforward answer
// 400 saying they are not simulated (there is no process to enter in a simulated container).
import type { KubeObject } from '../../store/index.js';
import { badRequest, StatusError } from '../../store/index.js';
import { parseBody, queryFlag, readBody, sendJson } from '../http-util.js';
import type { ResourceRequest } from './request-context.js';
import type { PodSubresources } from './pod-subresources.js';

export type { PodLogRead, PodSubresources } from './pod-subresources.js';

export const POD_SUBRESOURCES = ['eviction', 'log', 'exec', 'attach', 'portforward'];

function intParam(query: URLSearchParams, name: string, min: number): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min)
    throw badRequest(`${name}: "${v}" must be an integer >= ${min}`);
  return Number(v);
}

export async function handlePodSubresource(
  pods: PodSubresources | undefined,
  r: ResourceRequest,
): Promise<void> {
  const method = r.req.method ?? 'GET';
  const name = r.name ?? '';
  const namespace = r.namespace ?? 'default';
  if (r.subresource === 'eviction') {
    if (method !== 'POST')
      throw new StatusError(405, 'MethodNotAllowed', 'pods/eviction only accepts POST', {});
    if (!pods) throw badRequest('this kube-sim runs no cluster: there are no pods to evict');
    const text = await readBody(r.req);
    const body = text.trim() ? (parseBody(text) as KubeObject) : undefined;
    const bodyName = body?.metadata?.name;
    if (bodyName !== undefined && bodyName !== name)
      throw badRequest(`name in URL does not match name in Eviction object`);
    pods.evict(namespace, name, body);
    sendJson(r.res, 201, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    });
    return;
  }
  if (r.subresource === 'log') {
    if (method !== 'GET')
      throw new StatusError(405, 'MethodNotAllowed', 'pods/log only accepts GET', {});
    if (!pods) throw badRequest('this kube-sim runs no cluster: there are no pod logs');
    const q = r.query;
    const container = q.get('container') || undefined;
    const read = pods.log(namespace, name, {
      ...(container ? { container } : {}),
      follow: queryFlag(q, 'follow'),
      previous: queryFlag(q, 'previous'),
      timestamps: queryFlag(q, 'timestamps'),
      tailLines: intParam(q, 'tailLines', 0),
      sinceSeconds: intParam(q, 'sinceSeconds', 1),
      limitBytes: intParam(q, 'limitBytes', 1),
    });
    const limit = intParam(q, 'limitBytes', 1);
    let written = 0;
    const write = (line: string): boolean => {
      if (limit !== undefined && written >= limit) return false;
      let chunk = `${line}\n`;
      if (limit !== undefined && written + Buffer.byteLength(chunk) > limit)
        chunk = Buffer.from(chunk)
          .subarray(0, limit - written)
          .toString();
      written += Buffer.byteLength(chunk);
      r.res.write(chunk);
      return limit === undefined || written < limit;
    };
    r.res.writeHead(200, { 'Content-Type': 'text/plain' });
    let open = true;
    for (const line of read.lines) if (!(open = write(line))) break;
    if (!open || !read.follow) {
      r.res.end();
      return;
    }
    await new Promise<void>((done) => {
      const finish = () => {
        stop();
        if (!r.res.writableEnded) r.res.end();
        done();
      };
      const stop = read.follow!((line) => {
        if (!write(line)) finish();
      }, finish);
      r.req.on('close', finish);
    });
    return;
  }
  throw badRequest(
    `pods/${r.subresource ?? ''} is not simulated by kube-sim: its containers are in-process simulations with no shell or sockets to attach to; reach a pod at its pod IP (kubectl get pod -o wide) instead of port-forward`,
  );
}
