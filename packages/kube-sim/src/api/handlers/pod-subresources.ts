// The port behind the pod subresources (pods/eviction, pods/log): what the cluster does for them.
// Its own module so the request context and the handlers both import it, not each other.
import type { KubeObject } from '../../store/index.js';

export interface PodLogRead {
  lines: string[];
  follow?: (onLine: (line: string) => void, onEnd: () => void) => () => void;
}

/** What the cluster behind the API server does for pod subresources. */
export interface PodSubresources {
  evict(namespace: string, name: string, eviction: KubeObject | undefined): void;
  log(
    namespace: string,
    name: string,
    options: {
      container?: string;
      follow?: boolean;
      previous?: boolean;
      timestamps?: boolean;
      tailLines?: number;
      sinceSeconds?: number;
      limitBytes?: number;
    },
  ): PodLogRead;
}
