import type { CliIo } from '../cli/cli-io.js';
import { EXIT_FAILURE } from '../cli/exit-codes.js';
import { str } from '../cli/table.js';
import { ApiRequestError } from '../client/api-client.js';

/** One line per problem on stderr (server validation details as line:col path: message); exit 1. */
export function reportApiError(io: CliIo, err: unknown): number {
  if (err instanceof ApiRequestError && err.details.length > 0) {
    for (const d of err.details)
      io.stderr.write(
        `error: ${str(d.line)}:${str(d.col)}: ${d.kind ? `${str(d.kind)}/${str(d.name)} ` : ''}${str(d.path)}: ${str(d.message)}\n`,
      );
    return EXIT_FAILURE;
  }
  io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  return EXIT_FAILURE;
}
