import type { IncomingMessage } from 'node:http';

/** Who is calling, as the authenticator (the api role's keys) says. */
export interface Principal {
  /** Key id for metering (never the secret key). */
  keyId: string;
  /** The key's tenant (keys from the key store have one). */
  tenant?: string;
  /** Route / model names this key may use; all when absent. */
  allowedModels?: readonly string[];
  /** Budget spent with onExceeded self-hosted-only: providers are off limits. */
  externalForbidden?: boolean;
}

/**
 * `admit`: a request that costs something (inference), admitted under the key's limits;
 * `identify`: who is calling, nothing taken (listings such as GET /v1/models).
 */
export type AuthenticateUse = 'admit' | 'identify';

/** Returns the caller or throws a GatewayError (401, 402, 403, 429, 503). */
export type Authenticate = (
  req: IncomingMessage,
  use?: AuthenticateUse,
) => Principal | Promise<Principal>;

export const ANONYMOUS: Principal = { keyId: 'anonymous' };
