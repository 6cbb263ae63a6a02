import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  token?: string;
  /** PEM certificate of an HTTPS server (written as certificate-authority-data). */
  caCert?: string;
  /** Context, cluster and user name (default "kube-sim"). */
  name?: string;
  namespace?: string;
}

/** The kubeconfig document for a kube-sim server. */
export function kubeconfigFor(options: KubeconfigOptions): Record<string, unknown> {
  const name = options.name ?? 'kube-sim';
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: options.server,
          ...(options.caCert
            ? { 'certificate-authority-data': Buffer.from(options.caCert).toString('base64') }
            : {}),
        },
      },
    ],
    users: [{ name, user: options.token ? { token: options.token } : {} }],
    contexts: [
      {
        name,
        context: {
          cluster: name,
          user: name,
          ...(options.namespace ? { namespace: options.namespace } : {}),
        },
      },
    ],
    'current-context': name,
    preferences: {},
  };
}

/** Writes a kubeconfig that kubectl and @kubernetes/client-node use as they are (mode 0600). */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, stringify(kubeconfigFor(options)), { mode: 0o600 });
}
