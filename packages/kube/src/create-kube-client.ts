import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';

export interface KubeClientOptions {
  /** Path to a kubeconfig file; otherwise in-cluster config, then $KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
  /** Use this context of the kubeconfig instead of its current one. */
  context?: string;
}

export interface KubeClient {
  config: KubeConfig;
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  apps: AppsV1Api;
  coordination: CoordinationV1Api;
  custom: CustomObjectsApi;
  /** The namespace of the current context ('default' when unset). */
  namespace: string;
}

export function loadKubeConfig(options: KubeClientOptions = {}): KubeConfig {
  const config = new KubeConfig();
  if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
  else config.loadFromDefault();
  if (options.context) config.setCurrentContext(options.context);
  // client-node 1.x refuses plain-HTTP servers (kubectl proxy, kube-sim) unless TLS verification
  // is off for them; kubectl talks to them as they are. There is no TLS to verify on http://.
  config.clusters = config.clusters.map((c) =>
    c.server.startsWith('http://') && !c.skipTLSVerify ? { ...c, skipTLSVerify: true } : c,
  );
  return config;
}

export function createKubeClient(options: KubeClientOptions = {}): KubeClient {
  const config = loadKubeConfig(options);
  return {
    config,
    objects: KubernetesObjectApi.makeApiClient(config),
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    coordination: config.makeApiClient(CoordinationV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
    namespace: config.getContextObject(config.getCurrentContext())?.namespace ?? 'default',
  };
}
