import {
  ENGINE_LABEL,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  MODEL_LABEL,
  type Engine,
} from '@bascule/spec';

/** Name of the engine container in every pod. */
export const ENGINE_CONTAINER = 'engine';
/** Name of the engine's port in pods and Services. */
export const ENGINE_PORT_NAME = 'http';

const ENGINE_APP: Record<Engine, string> = { vllm: 'vllm', tgi: 'text-generation-inference' };
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** The immutable Deployment selector of a Model's pods. */
export function modelSelector(name: string): Record<string, string> {
  return { [MODEL_LABEL]: name };
}

/** The tag of an image reference (`repo:tag@digest` -> `tag`), if any. */
export function imageTag(image: string): string | undefined {
  const ref = image.split('@')[0] ?? image;
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : undefined;
}

/** Standard `app.kubernetes.io/*` labels plus the Model and engine labels. */
export function modelLabels(name: string, engine: Engine, image: string): Record<string, string> {
  const version = imageTag(image);
  return {
    'app.kubernetes.io/name': ENGINE_APP[engine],
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': 'inference-server',
    'app.kubernetes.io/part-of': 'bascule',
    [MANAGED_BY_LABEL]: MANAGED_BY,
    ...(version && LABEL_VALUE.test(version) ? { 'app.kubernetes.io/version': version } : {}),
    [MODEL_LABEL]: name,
    [ENGINE_LABEL]: engine,
  };
}
