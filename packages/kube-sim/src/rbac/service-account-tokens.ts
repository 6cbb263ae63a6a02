import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The claims of a ServiceAccount token, as the API server's token issuer writes them. */
export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  iat: number;
  nbf: number;
  /** Absent on legacy Secret-based tokens, which do not expire. */
  exp?: number;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    secret?: { name: string; uid?: string };
  };
}

export const TOKEN_ISSUER = 'https://kubernetes.default.svc.cluster.local';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Issues and verifies ServiceAccount tokens: JWTs (HS256 with a key that lives as long as the
 * server) carrying the claims the API server puts in its own, so a client sees the same shape.
 */
export class ServiceAccountTokens {
  private readonly key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.key = key;
  }

  issue(claims: ServiceAccountClaims): string {
    const header = b64url(JSON.stringify({ alg: 'HS256', kid: 'kube-sim', typ: 'JWT' }));
    const body = b64url(JSON.stringify(claims));
    return `${header}.${body}.${this.sign(`${header}.${body}`)}`;
  }

  /** The claims of a token this issuer signed, or undefined for any other string. */
  verify(token: string): ServiceAccountClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const got = Buffer.from(parts[2]!);
    if (expected.length !== got.length || !timingSafeEqual(expected, got)) return undefined;
    try {
      return JSON.parse(
        Buffer.from(parts[1]!, 'base64url').toString('utf8'),
      ) as ServiceAccountClaims;
    } catch {
      return undefined;
    }
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

const perStore = new WeakMap<object, ServiceAccountTokens>();

/** The token issuer of one kube-sim (keyed by its store), shared by the API server and plugins. */
export function tokensFor(store: object): ServiceAccountTokens {
  let tokens = perStore.get(store);
  if (!tokens) {
    tokens = new ServiceAccountTokens();
    perStore.set(store, tokens);
  }
  return tokens;
}
