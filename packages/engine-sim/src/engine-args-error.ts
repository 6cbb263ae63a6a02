/**
 * A bad command line, reported the way the engine reports it (argparse for vLLM, clap or the
 * launcher for TGI). `exitCode` is the engine's (2 for a usage error, 1 for a config error).
 */
export class EngineArgsError extends Error {
  constructor(
    message: string,
    readonly flag: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'EngineArgsError';
  }
}
