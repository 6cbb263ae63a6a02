/**
 * The Route and Provider status reconciler on the shared runtime (@bascule/kube): writes the
 * Ready condition of Routes and Providers. Secrets are not watched (the controller only `get`s
 * the one a Provider names), so a Provider is looked at again on a timer; Routes are
 * re-evaluated whenever a Route, a Model or a Provider of their namespace changes.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { StatusMemo, type Controller, type ReconcileResult, type Reconciler } from '@bascule/kube';
import type { ReconcilerContext } from '../reconcile/reconciler-context.js';
import { writeResourceStatus } from '../reconcile/execute-plan.js';
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

export interface RoutingStatusOptions extends ReconcilerContext {
  /** A Provider whose key does not resolve reads its Secret again after this (default 10 s). */
  secretRecheckMs?: number;
  /** A Ready Provider reads its Secret again after this (default 60 s). */
  secretResyncMs?: number;
}

export class RoutingStatusReconciler implements Reconciler {
  readonly name = 'routing-status';
  private readonly validate = createValidationCache();
  /** Status written and not yet seen back through the informer, by queue key. */
  private readonly memo = new StatusMemo<ReadyStatus>(statusEqual);
  /** metadata.generation of Models and Providers, to skip Route work on status-only updates. */
  private readonly generations = new Map<string, number | undefined>();

  constructor(private readonly options: RoutingStatusOptions) {}

  *keys(): Iterable<string> {
    for (const r of this.options.informers.routes.list()) yield key('Route', r);
    for (const p of this.options.informers.providers.list()) yield key('Provider', p);
  }

  /** Declares which events queue which Routes and Providers. */
  watch(controller: Controller): void {
    for (const resource of ['routes', 'providers'] as const) {
      controller.watch<KubernetesObject>(resource, (event, object, q) => {
        const k = key(resource === 'routes' ? 'Route' : 'Provider', object);
        this.memo.forget(k);
        if (event === 'delete') q.forget(k);
        else q.add(k);
      });
    }
    for (const resource of ['models', 'providers'] as const) {
      controller.watch<KubernetesObject>(resource, (event, object, q) => {
        // Routes care about names, served names, aliases and validity: all in the spec.
        const k = `${resource}:${modelKey(object.metadata?.namespace, object.metadata?.name ?? '')}`;
        const generation = event === 'delete' ? undefined : (object.metadata?.generation ?? 0);
        if (this.generations.get(k) === generation && event === 'update') return;
        if (generation === undefined) this.generations.delete(k);
        else this.generations.set(k, generation);
        const ns = object.metadata?.namespace;
        for (const r of this.options.informers.routes.list(ns)) q.add(key('Route', r));
      });
    }
  }

  onError(k: string, err: unknown, retryInMs: number | undefined): void {
    const message = err instanceof Error ? err.message : String(err);
    if (retryInMs === undefined)
      this.options.log.warn({ object: k, err: message }, 'status not written');
    else
      this.options.log.warn({ object: k, err: message, retryInMs }, 'status not written; retrying');
  }

  /** One Route or Provider; Providers are looked at again after a delay (their Secret). */
  async reconcile(k: string): Promise<ReconcileResult | void> {
    const colon = k.indexOf(':');
    const kind = k.slice(0, colon) as Kind;
    const { namespace, name } = splitKey(k.slice(colon + 1));
    const { informers } = this.options;
    const object =
      kind === 'Route'
        ? informers.routes.get(name, namespace)
        : informers.providers.get(name, namespace);
    if (!object || object.metadata?.deletionTimestamp) return;
    const verdict =
      kind === 'Route'
        ? checkRoute({
            route: object,
            models: informers.models.list(namespace),
            providers: informers.providers.list(namespace),
            validate: this.validate,
          })
        : await this.checkProvider(object);
    const previous = this.memo.current(k, object.status);
    const next = readyStatus(
      previous,
      object.metadata?.generation ?? 0,
      verdict,
      this.options.now(),
    );
    const { client } = this.options;
    if (
      await this.memo.write(k, previous, next, (s) =>
        writeResourceStatus(client, PLURAL[kind], namespace, name, s),
      )
    )
      await this.written(kind, object, namespace, name, previous, next);
    if (kind === 'Route') return;
    const ready = findCondition(next.conditions, 'Ready')?.status === 'True';
    return {
      requeueAfterMs: ready
        ? (this.options.secretResyncMs ?? 60_000)
        : (this.options.secretRecheckMs ?? 10_000),
    };
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

  /** Logs a status written and records the Events of its Ready transition. */
  private async written(
    kind: Kind,
    object: KubernetesObject,
    namespace: string,
    name: string,
    previous: ReadyStatus | undefined,
    next: ReadyStatus,
  ): Promise<void> {
    const ready = findCondition(next.conditions, 'Ready');
    this.options.log.info(
      {
        [kind.toLowerCase()]: `${namespace}/${name}`,
        ready: ready?.status,
        reason: ready?.reason,
        message: ready?.message,
      },
      'status written',
    );
    const subject = { kind, name, namespace, uid: object.metadata?.uid ?? '' };
    await this.options.events.record(
      readyTransitionEvents(subject, previous, next, this.options.now()),
    );
  }
}

function key(kind: Kind, object: KubernetesObject): string {
  return `${kind}:${modelKey(object.metadata?.namespace, object.metadata?.name ?? '')}`;
}
