import type { ServerResponse } from 'node:http';
import type { RequestContext } from './request-context.js';

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler(ctx: RequestContext): void | Promise<void>;
  /** Counts as an inference request: subject to loading, faults and crash-after-N. */
  inference?: boolean;
}

/** How one engine answers: its routes and the bodies of the errors the server itself raises. */
export interface EngineDialect {
  routes: Route[];
  notFound(res: ServerResponse): void;
  methodNotAllowed(res: ServerResponse): void;
  invalidBody(res: ServerResponse, reason: 'invalid-json' | 'too-large'): void;
  /** The engine is still loading the model. */
  loading(res: ServerResponse): void;
  /** Injected 500-class failure. */
  internalError(res: ServerResponse): void;
  /** Injected 503. */
  unavailable(res: ServerResponse): void;
}
