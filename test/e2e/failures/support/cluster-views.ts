// What the failure stories read, the way a user would: a Model's status and conditions, its pods
// and Deployment with kubectl, and engine-sim's run-time fault switch at a pod's IP.
import { expect } from 'vitest';
import type { Stack } from '../../support/stack.js';

export interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface ModelView {
  status?: {
    selector?: string;
    conditions?: Cond[];
    replicas?: { desired?: number; ready?: number };
  };
}

export interface PodView {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    containerStatuses?: {
      ready: boolean;
      restartCount: number;
      lastState?: { terminated?: { exitCode: number; message?: string } };
    }[];
  };
}

export function clusterViews(stack: Stack, model: string) {
  const kubectlJson = stack.h.kubectlJson.bind(stack.h);
  const view = () => kubectlJson<ModelView>(['get', 'model', model]);
  const readyReplicas = async () => (await view()).status?.replicas?.ready ?? 0;
  const pods = async () => {
    const selector = (await view()).status?.selector ?? `bascule.dev/model=${model}`;
    const list = await kubectlJson<{ items: PodView[] }>(['get', 'pods', '-l', selector]);
    return list.items.filter((p) => !p.metadata.deletionTimestamp);
  };
  const deploymentReady = async () =>
    (await kubectlJson<{ status?: { readyReplicas?: number } }>(['get', 'deployment', model]))
      .status?.readyReplicas ?? 0;
  return {
    view,
    readyReplicas,
    pods,
    pod: (name: string) => kubectlJson<PodView>(['get', 'pod', name]),
    async cond(type: string): Promise<Cond | undefined> {
      return (await view()).status?.conditions?.find((c) => c.type === type);
    },
    /** Every one of `replicas` pods ready, as the Model, the Deployment and the pods all say. */
    async whole(replicas: number): Promise<boolean> {
      const ps = await pods();
      return (
        (await readyReplicas()) === replicas &&
        (await deploymentReady()) === replicas &&
        ps.length === replicas &&
        ps.every((p) => p.status?.containerStatuses?.[0]?.ready === true)
      );
    },
  };
}

/** engine-sim's `/admin/faults` on a pod (GET, or POST a partial update); its request count. */
export async function engineFaults(pod: PodView, update?: object): Promise<{ requests: number }> {
  const res = await fetch(`http://${pod.status!.podIP}:8000/admin/faults`, {
    method: update ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    body: update ? JSON.stringify(update) : undefined,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { requests: number };
}
