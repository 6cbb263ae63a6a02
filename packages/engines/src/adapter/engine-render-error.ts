/** The one error class of @bascule/engines: a Model that cannot be rendered as it is. */
export class EngineRenderError extends Error {
  /** CamelCase reason for a status condition, e.g. UnknownGPUType. */
  readonly reason: string;
  /** Rendering is pure: the same Model fails the same way until someone edits it. */
  readonly retryable = false;

  constructor(message: string, reason: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineRenderError';
    this.reason = reason;
  }
}
