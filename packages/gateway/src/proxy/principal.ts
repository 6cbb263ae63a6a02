import type { IncomingMessage } from 'node:http';

/** Who is calling, as the authenticator (the api role's keys) says. */
export interface Principal {
  /** Key id for metering (never the secret key). */
  keyId: string;
  /** Route / model names this key may use; all when absent. */
  allowedModels?: readonly string[];
  /** Budget spent with onExceeded self-hosted-only: providers are off limits. */
  externalForbidden?: boolean;
}

/** Returns the caller or throws a GatewayError (401, 403, 429). */
export type Authenticate = (req: IncomingMessage) => Principal | Promise<Principal>;

export const ANONYMOUS: Principal = { keyId: 'anonymous' };
