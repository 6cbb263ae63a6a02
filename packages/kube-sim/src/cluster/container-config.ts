// What the kubelet checks before it starts a pod's containers (pure, lookups injected), with
// the kubelet's own messages:
// - volumes: a Secret or ConfigMap volume whose object is missing (and not optional) fails
//   to mount: FailedMount `MountVolume.SetUp failed for volume "v" : secret "s" not found`;
// - env / envFrom referring to a missing Secret or ConfigMap, or a missing key, is a
//   CreateContainerConfigError (`secret "s" not found`, `couldn't find key k in Secret ns/s`);
// - an image kube-sim declares unpullable fails to pull (ErrImagePull, then ImagePullBackOff):
//   a registry under the reserved `.invalid` top-level domain, or a tag `missing` /
//   `missing-*` (docs/simulation.md: how to simulate a typo'd image).
import type { Container, Pod } from './kube-types.js';

export interface ConfigLookup {
  secret(name: string): Record<string, string> | undefined;
  configMap(name: string): Record<string, string> | undefined;
}

/** The FailedMount message for the first volume that cannot be set up, if any. */
export function volumeMountError(pod: Pod, lookup: ConfigLookup): string | undefined {
  for (const v of pod.spec.volumes ?? []) {
    if (v.secret?.secretName && !v.secret.optional && !lookup.secret(v.secret.secretName))
      return `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found`;
    if (v.configMap?.name && !v.configMap.optional && !lookup.configMap(v.configMap.name))
      return `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found`;
  }
  return undefined;
}

/** The CreateContainerConfigError message for a container, if its env cannot be built. */
export function containerConfigError(
  container: Container,
  namespace: string,
  lookup: ConfigLookup,
): string | undefined {
  for (const from of container.envFrom ?? []) {
    const s = from.secretRef;
    if (s?.name && !s.optional && !lookup.secret(s.name)) return `secret "${s.name}" not found`;
    const c = from.configMapRef;
    if (c?.name && !c.optional && !lookup.configMap(c.name))
      return `configmap "${c.name}" not found`;
  }
  for (const env of container.env ?? []) {
    const s = env.valueFrom?.secretKeyRef;
    if (s?.name && !s.optional) {
      const data = lookup.secret(s.name);
      if (!data) return `secret "${s.name}" not found`;
      if (!(s.key in data)) return `couldn't find key ${s.key} in Secret ${namespace}/${s.name}`;
    }
    const c = env.valueFrom?.configMapKeyRef;
    if (c?.name && !c.optional) {
      const data = lookup.configMap(c.name);
      if (!data) return `configmap "${c.name}" not found`;
      if (!(c.key in data)) return `couldn't find key ${c.key} in ConfigMap ${namespace}/${c.name}`;
    }
  }
  return undefined;
}

/** Why kube-sim cannot pull an image (the registry's answer), or undefined when it can. */
export function imagePullError(image: string): string | undefined {
  const ref = image.replace(/@.*$/, '');
  const slash = ref.indexOf('/');
  const host = slash > 0 ? ref.slice(0, slash) : '';
  if (/\.invalid(:\d+)?$/.test(host))
    return `failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "https://${host}/v2/": dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
  const tag = /:([^/:]+)$/.exec(ref)?.[1];
  if (tag === 'missing' || tag?.startsWith('missing-'))
    return `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
  return undefined;
}
