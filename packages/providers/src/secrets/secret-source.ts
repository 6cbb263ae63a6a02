/** One key of a Kubernetes Secret. */
export interface SecretKeyRef {
  namespace: string;
  name: string;
  key: string;
}

/**
 * Where API keys come from. A Kubernetes-backed source (watching Secrets) plugs in here;
 * `createInMemorySecretSource` and `createEnvSecretSource` serve tests and single binaries.
 */
export interface SecretSource {
  /** The value, or undefined when the Secret or key does not exist. */
  get(ref: SecretKeyRef): Promise<string | undefined>;
  /** Calls `listener` whenever a Secret changes or disappears; returns an unsubscribe function. */
  onChange?(listener: (secret: { namespace: string; name: string }) => void): () => void;
}
