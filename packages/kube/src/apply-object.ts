import {
  PatchStrategy,
  type KubernetesObject,
  type KubernetesObjectApi,
} from '@kubernetes/client-node';
import { toKubeError } from './kube-error.js';

/** The field manager every Bascule writer uses for server-side apply. */
export const FIELD_MANAGER = 'bascule';

export interface ApplyOptions {
  fieldManager?: string;
  /** Take ownership of fields another manager set (default true: we own what we render). */
  force?: boolean;
  dryRun?: boolean;
}

export function describeObject(object: KubernetesObject): string {
  const ns = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind ?? 'object'} ${ns}${object.metadata?.name ?? '?'}`;
}

/** Server-side apply of a complete desired object; returns the object as stored. */
export async function applyObject<T extends KubernetesObject>(
  api: KubernetesObjectApi,
  object: T,
  options: ApplyOptions = {},
): Promise<T> {
  try {
    return await api.patch<T>(
      object,
      undefined,
      options.dryRun ? 'All' : undefined,
      options.fieldManager ?? FIELD_MANAGER,
      options.force ?? true,
      PatchStrategy.ServerSideApply,
    );
  } catch (err) {
    throw toKubeError(err, `apply ${describeObject(object)}`);
  }
}
