import type { V1Container, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { parseStorageUri, type ModelSpec } from '@bascule/spec';

/** Pinned image of the init container that copies s3:// weights (AWS CLI v2). */
export const S3_FETCH_IMAGE = 'amazon/aws-cli:2.17.0';
/** Where the weight cache (or its emptyDir stand-in) is mounted when the Model does not say. */
export const DEFAULT_CACHE_PATH = '/models-cache';
/** Name of the cache volume in the pod. */
export const CACHE_VOLUME = 'model-cache';

/** A LoRA adapter as the engine sees it: its name and a Hub id or local path. */
export interface AdapterRef {
  name: string;
  ref: string;
}

/** Where the engine finds its weights, and what the pod needs for that. */
export interface WeightsPlan {
  /** Hub id (`org/name`), local path, or `s3://` URI (engines that stream from S3). */
  modelRef: string;
  /** Hub revision of an hf:// source. */
  revision?: string;
  /** The model is read straight from S3 (vLLM's Run:ai model streamer). */
  streamFromS3: boolean;
  adapters: AdapterRef[];
  /** HF_HOME: the weight cache mount. */
  cacheDir: string;
  volumes: V1Volume[];
  mounts: V1VolumeMount[];
  initContainers: V1Container[];
}

export interface PlanWeightsOptions {
  /** The engine reads `s3://` model URIs itself (otherwise they are copied by an init container). */
  streamsS3: boolean;
}

/**
 * Maps the Model's sources to engine references: hf:// stays a Hub id (downloaded by the engine
 * into HF_HOME on the cache volume), pvc:// becomes a read-only mount, s3:// is streamed by the
 * engine when it can, else copied into the cache by an init container with the AWS CLI.
 */
export function planWeights(spec: ModelSpec, options: PlanWeightsOptions): WeightsPlan {
  const cacheDir = spec.weightCache?.mountPath ?? DEFAULT_CACHE_PATH;
  const volumes: V1Volume[] = [
    spec.weightCache
      ? { name: CACHE_VOLUME, persistentVolumeClaim: { claimName: spec.weightCache.claimName } }
      : { name: CACHE_VOLUME, emptyDir: {} },
  ];
  const mounts: V1VolumeMount[] = [
    {
      name: CACHE_VOLUME,
      mountPath: cacheDir,
      ...(spec.weightCache?.subPath ? { subPath: spec.weightCache.subPath } : {}),
    },
  ];
  const claims = new Map<string, string>();
  const copies: { from: string; to: string }[] = [];

  const resolve = (uri: string, allowStream: boolean): { ref: string; streamed: boolean } => {
    const parsed = parseStorageUri(uri);
    if (parsed.scheme === 'hf') return { ref: parsed.authority, streamed: false };
    if (parsed.scheme === 'pvc') {
      const volume = `pvc-${parsed.authority}`.slice(0, 63).replace(/-+$/, '');
      const mountPath = `/mnt/pvc/${parsed.authority}`;
      if (!claims.has(parsed.authority)) {
        claims.set(parsed.authority, volume);
        volumes.push({
          name: volume,
          persistentVolumeClaim: { claimName: parsed.authority, readOnly: true },
        });
        mounts.push({ name: volume, mountPath, readOnly: true });
      }
      return { ref: parsed.path ? `${mountPath}/${parsed.path}` : mountPath, streamed: false };
    }
    if (allowStream) return { ref: uri, streamed: true };
    const local = `${cacheDir}/s3/${parsed.authority}${parsed.path ? `/${parsed.path}` : ''}`;
    copies.push({ from: uri, to: local });
    return { ref: local, streamed: false };
  };

  const model = resolve(spec.source, options.streamsS3);
  const adapters = (spec.loraAdapters ?? []).map((a) => ({
    name: a.name,
    ref: resolve(a.source, false).ref,
  }));
  const initContainers: V1Container[] = copies.length
    ? [
        {
          name: 'fetch-weights',
          image: S3_FETCH_IMAGE,
          command: ['sh', '-c'],
          args: [
            copies
              .map(
                (c) => `aws s3 sync ${shellQuote(c.from)} ${shellQuote(c.to)} --only-show-errors`,
              )
              .join(' && '),
          ],
          ...(spec.sourceSecretRef
            ? { envFrom: [{ secretRef: { name: spec.sourceSecretRef.name } }] }
            : {}),
          volumeMounts: mounts.filter((m) => m.name === CACHE_VOLUME),
        },
      ]
    : [];
  return {
    modelRef: model.ref,
    ...(spec.revision && spec.source.startsWith('hf://') ? { revision: spec.revision } : {}),
    streamFromS3: model.streamed,
    adapters,
    cacheDir,
    volumes,
    mounts,
    initContainers,
  };
}

/** Single-quotes a word for sh, so a path can never run as a command. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
