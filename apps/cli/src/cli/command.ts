import type { CliIo } from './cli-io.js';

/** A flag a command accepts (node:util parseArgs style). */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
  description: string;
}

/** What a command receives once its flags are parsed. */
export interface CommandContext {
  io: CliIo;
  flags: Record<string, string | boolean | string[] | undefined>;
  args: string[];
}

/**
 * One `bascule` sub-command. Each lives in its own file under commands/ and is listed in
 * commands/index.ts; the dispatcher handles --help, flag parsing and usage errors for all.
 */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line after `bascule`, e.g. `validate -f FILE|DIR|- [-o text|json]`. */
  usage: string;
  /** Longer help text and examples. */
  description?: string;
  flags: Record<string, FlagSpec>;
  /** Positional arguments allowed (default none). */
  maxArgs?: number;
  run(ctx: CommandContext): Promise<number>;
}
