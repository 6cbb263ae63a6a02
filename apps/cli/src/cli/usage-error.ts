/** A mistake in the command line; reported with a hint and exit code 2. */
export class UsageError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    /** Command whose help the hint points at (undefined for the top level). */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
