import type { KubernetesObject } from '@kubernetes/client-node';
import { KubeError, WorkQueue, type InformerEvent, type KubeClient } from '@bascule/kube';
import type { Logger } from 'pino';
import type { ClusterInformers } from '../informers/cluster-informers.js';
import { writeResourceStatus } from '../reconcile/execute-plan.js';
import { recordEvents } from '../reconcile/record-transitions.js';
import { modelKey, splitKey } from '../reconcile/model-key.js';
import { statusEqual } from '../status/status-equal.js';
import { findCondition } from '../status/upsert-condition.js';
import { checkProvider } from './check-provider.js';
import { checkRoute } from './check-route.js';
import {
  createValidationCache,
  invalidVerdict,
  readyStatus,
  type ReadyStatus,
  type ReadyVerdict,
} from './ready-verdict.js';
import { readSecretKeys } from './read-secret-keys.js';
import { readyTransitionEvents } from './routing-events.js';

type Kind = 'Route' | 'Provider';
const PLURAL = { Route: 'routes', Provider: 'providers' } as const;

export interface RoutingStatusOptions {
  client: KubeClient;
  informers: ClusterInformers;
  log: Logger;
  now: () => Date;
  /** Resolves when this replica may act (holds the Lease) or is stopping. */
  whenLeading: () => Promise<void>;
  isLeading: () => boolean;
  /** A Provider whose key does not resolve reads its Secret again after this (default 10 s). */
  secretRecheckMs?: number;
  /** A Ready Provider reads its Secret again after this (default 60 s). */
  secretResyncMs?: number;
}

/**
 * Writes the Ready condition of Routes and Providers. Secrets are not watched (the controller
 * only `get`s the one a Provider names), so a Provider is looked at again on a timer; Routes
 * are re-evaluated whenever a Route, a Model or a Provider of their namespace changes.
 */
export class RoutingStatusController {
  private readonly queue = new WorkQueue<string>();
  private readonly validate = createValidationCache();
  /** Status written and not yet seen back through the informer, by queue key. */
  private readonly memo = new Map<string, ReadyStatus>();
  /** metadata.generation of Models and Providers, to skip Route work on status-only updates. */
  private readonly generations = new Map<string, number | undefined>();
  private worker: Promise<void> | undefined;

  constructor(private readonly options: RoutingStatusOptions) {}

  start(): void {
    this.worker = this.run();
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.worker;
  }

  enqueueAll(): void {
    if (!this.options.isLeading()) return;
    for (const r of this.options.informers.routes.list()) this.queue.add(key('Route', r));
    for (const p of this.options.informers.providers.list()) this.queue.add(key('Provider', p));
  }

  /** Called for every informer event of the Model controller. */
  onEvent(resource: keyof ClusterInformers, event: InformerEvent, object: KubernetesObject): void {
    if (resource === 'routes' || resource === 'providers') {
      const k = key(resource === 'routes' ? 'Route' : 'Provider', object);
      this.memo.delete(k);
      if (event === 'delete') this.queue.forget(k);
      else this.queue.add(k);
    }
    if (resource === 'models' || resource === 'providers') {
      // Routes care about names, served names, aliases and validity: all in the spec.
      const k = `${resource}:${modelKey(object.metadata?.namespace, object.metadata?.name ?? '')}`;
      const generation = event === 'delete' ? undefined : (object.metadata?.generation ?? 0);
      if (this.generations.get(k) === generation && event === 'update') return;
      if (generation === undefined) this.generations.delete(k);
      else this.generations.set(k, generation);
      const ns = object.metadata?.namespace;
      for (const r of this.options.informers.routes.list(ns)) this.queue.add(key('Route', r));
    }
  }

  private async run(): Promise<void> {
    for (;;) {
      await this.options.whenLeading();
      const k = await this.queue.get();
      if (k === undefined) return;
      if (!this.options.isLeading()) {
        this.queue.done(k);
        this.queue.add(k);
        continue;
      }
      try {
        const recheckMs = await this.reconcile(k);
        this.queue.forget(k);
        if (recheckMs !== undefined) this.queue.addAfter(k, recheckMs);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof KubeError && !err.retryable) {
          this.queue.forget(k);
          this.options.log.warn({ object: k, err: message }, 'status not written');
        } else {
          const retryInMs = this.queue.addRateLimited(k);
          this.options.log.warn(
            { object: k, err: message, retryInMs },
            'status not written; retrying',
          );
        }
      } finally {
        this.queue.done(k);
      }
    }
  }

  /** One Route or Provider; returns when to look again (Providers only). */
  private async reconcile(k: string): Promise<number | undefined> {
    const colon = k.indexOf(':');
    const kind = k.slice(0, colon) as Kind;
    const { namespace, name } = splitKey(k.slice(colon + 1));
    const { informers } = this.options;
    const object =
      kind === 'Route'
        ? informers.routes.get(name, namespace)
        : informers.providers.get(name, namespace);
    if (!object || object.metadata?.deletionTimestamp) return undefined;
    const verdict =
      kind === 'Route'
        ? checkRoute({
            route: object,
            models: informers.models.list(namespace),
            providers: informers.providers.list(namespace),
            validate: this.validate,
          })
        : await this.checkProvider(object);
    const previous = this.memo.get(k) ?? object.status;
    const next = readyStatus(
      previous,
      object.metadata?.generation ?? 0,
      verdict,
      this.options.now(),
    );
    if (!statusEqual(previous, next))
      await this.write(kind, object, namespace, name, previous, next);
    if (kind === 'Route') return undefined;
    const ready = findCondition(next.conditions, 'Ready')?.status === 'True';
    return ready
      ? (this.options.secretResyncMs ?? 60_000)
      : (this.options.secretRecheckMs ?? 10_000);
  }

  private async checkProvider(object: KubernetesObject): Promise<ReadyVerdict> {
    const result = this.validate(object);
    if (result.status !== 'valid' || result.resource.kind !== 'Provider')
      return invalidVerdict(result);
    const provider = result.resource;
    const ref = provider.spec.apiKeySecretRef;
    const secret = ref
      ? await readSecretKeys(
          this.options.client.core,
          object.metadata?.namespace ?? 'default',
          ref.name,
        )
      : undefined;
    return checkProvider(provider, secret);
  }

  private async write(
    kind: Kind,
    object: KubernetesObject,
    namespace: string,
    name: string,
    previous: ReadyStatus | undefined,
    next: ReadyStatus,
  ): Promise<void> {
    const { client, log, now } = this.options;
    await writeResourceStatus(client, PLURAL[kind], namespace, name, next);
    this.memo.set(`${kind}:${namespace}/${name}`, next);
    const ready = findCondition(next.conditions, 'Ready');
    log.info(
      {
        [kind.toLowerCase()]: `${namespace}/${name}`,
        ready: ready?.status,
        reason: ready?.reason,
        message: ready?.message,
      },
      'status written',
    );
    const subject = { kind, name, namespace, uid: object.metadata?.uid ?? '' };
    await recordEvents(client.core, readyTransitionEvents(subject, previous, next, now()), (err) =>
      log.debug({ err: err instanceof Error ? err.message : String(err) }, 'event not recorded'),
    );
  }
}

function key(kind: Kind, object: KubernetesObject): string {
  return `${kind}:${modelKey(object.metadata?.namespace, object.metadata?.name ?? '')}`;
}
