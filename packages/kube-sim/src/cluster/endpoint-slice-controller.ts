// Keeps each Service's EndpointSlice (and core Endpoints) in step with the pods its selector
// matches: addresses, ready/serving conditions and target ports.
import { listShared, watchShared } from './shared-reads.js';
import type { KubeObject, ObjectStore, WatchEvent } from '../store/types.js';
import { buildEndpoints, buildEndpointSlice } from './build-endpoint-slice.js';
import { RESOURCES, type Pod, type Service } from './kube-types.js';
import { matchesSelector } from './label-selector.js';
import { stableStringify } from './pod-template-hash.js';
import { createWorkQueue, objectKey, splitKey, type WorkQueue } from './work-queue.js';

function sameContent(a: KubeObject, b: KubeObject, fields: string[]): boolean {
  return (
    fields.every((f) => stableStringify(a[f]) === stableStringify(b[f])) &&
    stableStringify(a.metadata.labels ?? {}) === stableStringify(b.metadata.labels ?? {})
  );
}

export class EndpointSliceController {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];

  constructor(private readonly store: ObjectStore) {
    this.queue = createWorkQueue({
      name: 'endpointslice',
      reconcile: (key) => this.reconcile(key),
    });
  }

  start(): void {
    this.stops.push(
      watchShared(this.store, RESOURCES.services, (e) =>
        this.queue.add(objectKey(e.object.metadata.namespace, e.object.metadata.name ?? '')),
      ),
      watchShared(this.store, RESOURCES.pods, (e) => this.onPod(e)),
    );
    for (const s of this.store.list(RESOURCES.services).items)
      this.queue.add(objectKey(s.metadata.namespace, s.metadata.name ?? ''));
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.queue.close();
  }

  private onPod(e: WatchEvent): void {
    const namespace = e.object.metadata.namespace;
    for (const svc of listShared<Service>(this.store, RESOURCES.services, { namespace })) {
      const selector = svc.spec?.selector;
      if (
        selector &&
        Object.keys(selector).length > 0 &&
        matchesSelector({ matchLabels: selector }, e.object.metadata.labels)
      ) {
        this.queue.add(objectKey(namespace, svc.metadata.name));
      }
    }
  }

  private reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.store.get(RESOURCES.services, namespace, name) as Service | undefined;
    if (!svc || svc.metadata.deletionTimestamp) return; // slices go with the Service (ownerReference)
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return; // selector-less: managed by the user
    const pods = listShared<Pod>(this.store, RESOURCES.pods, { namespace }).filter((p) =>
      matchesSelector({ matchLabels: selector }, p.metadata.labels),
    );
    const existing = this.store
      .list(RESOURCES.endpointSlices, {
        namespace,
        labelSelector: `kubernetes.io/service-name=${name}`,
      })
      .items.filter((s) => s.metadata.ownerReferences?.some((o) => o.uid === svc.metadata.uid));
    const current = existing[0];
    const desired = buildEndpointSlice(svc, pods, current?.metadata.name ?? '');
    if (!current) {
      delete desired.metadata.name;
      desired.metadata.generateName = `${name}-`;
      this.store.create(RESOURCES.endpointSlices, desired);
    } else if (!sameContent(current, desired, ['endpoints', 'ports', 'addressType'])) {
      this.store.update(RESOURCES.endpointSlices, {
        ...current,
        endpoints: desired.endpoints,
        ports: desired.ports,
        metadata: { ...current.metadata, labels: desired.metadata.labels },
      });
    }
    for (const extra of existing.slice(1))
      this.store.delete(RESOURCES.endpointSlices, namespace, extra.metadata.name ?? '');
    const endpoints = buildEndpoints(svc, pods);
    const currentEndpoints = this.store.get(RESOURCES.endpoints, namespace, name);
    if (!currentEndpoints) this.store.create(RESOURCES.endpoints, endpoints);
    else if (!sameContent(currentEndpoints, endpoints, ['subsets'])) {
      this.store.update(RESOURCES.endpoints, {
        ...currentEndpoints,
        subsets: endpoints.subsets,
        metadata: { ...currentEndpoints.metadata, labels: endpoints.metadata.labels },
      });
    }
  }
}
