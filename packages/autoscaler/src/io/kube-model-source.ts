import type { CoreV1Api, CustomObjectsApi, V1Pod } from '@kubernetes/client-node';
import { engineAdapter } from '@bascule/engines';
import { GROUP, MODEL_LABEL, VERSION, parseModel, type Model } from '@bascule/spec';
import type { ModelPod, ModelSource, ScalableModel } from '../loop/autoscaler-ports.js';

export interface KubeModelSourceOptions {
  custom: CustomObjectsApi;
  core: CoreV1Api;
  /** Watch one namespace; all namespaces when omitted. */
  namespace?: string;
  /** Called for a Model that does not parse (it is skipped). */
  onInvalid?: (namespace: string, name: string, error: unknown) => void;
}

interface ModelList {
  items?: unknown[];
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function isUnschedulable(pod: V1Pod): boolean {
  return (
    !pod.spec?.nodeName &&
    (pod.status?.conditions?.some(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    ) ??
      false)
  );
}

function isLive(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * Models with autoscaling enabled, read from the API server each tick, with their pods counted
 * by the `bascule.dev/model` label: ready ones (scraped for engine load), scheduled ones
 * (bound to a node, holding GPUs) and unschedulable ones (the scheduler found no room).
 */
export function kubeModelSource(o: KubeModelSourceOptions): ModelSource {
  return {
    async list() {
      const list = (
        o.namespace
          ? await o.custom.listNamespacedCustomObject({
              group: GROUP,
              version: VERSION,
              namespace: o.namespace,
              plural: 'models',
            })
          : await o.custom.listClusterCustomObject({
              group: GROUP,
              version: VERSION,
              plural: 'models',
            })
      ) as ModelList;
      const pods = o.namespace
        ? await o.core.listNamespacedPod({ namespace: o.namespace, labelSelector: MODEL_LABEL })
        : await o.core.listPodForAllNamespaces({ labelSelector: MODEL_LABEL });
      const byModel = new Map<string, V1Pod[]>();
      for (const pod of pods.items) {
        const key = `${pod.metadata?.namespace}/${pod.metadata?.labels?.[MODEL_LABEL]}`;
        const arr = byModel.get(key) ?? [];
        arr.push(pod);
        byModel.set(key, arr);
      }
      const out: ScalableModel[] = [];
      for (const raw of list.items ?? []) {
        const meta = (raw as { metadata?: { name?: string; namespace?: string } }).metadata ?? {};
        let model: Model;
        try {
          model = parseModel(raw);
        } catch (err) {
          o.onInvalid?.(meta.namespace ?? '', meta.name ?? '', err);
          continue;
        }
        if (!model.spec.autoscaling.enabled) continue;
        const namespace = model.metadata.namespace ?? o.namespace ?? 'default';
        const name = model.metadata.name;
        const live = (byModel.get(`${namespace}/${name}`) ?? []).filter(isLive);
        const ready = live.filter(isReady);
        const port = engineAdapter(model.spec.engine).port;
        const readyPods: ModelPod[] = ready
          .filter((p) => p.status?.podIP)
          .map((p) => ({ name: p.metadata?.name ?? '', ip: p.status!.podIP!, port }));
        out.push({
          ref: { namespace, name, ...(model.metadata.uid ? { uid: model.metadata.uid } : {}) },
          model,
          currentReplicas: model.spec.replicas ?? model.spec.autoscaling.minReplicas,
          readyReplicas: ready.length,
          scheduledReplicas: live.filter((p) => p.spec?.nodeName).length,
          unschedulableReplicas: live.filter(isUnschedulable).length,
          readyPods,
        });
      }
      return out;
    },
  };
}
