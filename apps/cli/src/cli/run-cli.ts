import { parseArgs } from 'node:util';
import { COMMANDS } from '../commands/index.js';
import type { CliIo } from './cli-io.js';
import type { Command, CommandContext } from './command.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { renderCommandHelp, renderRootHelp } from './render-help.js';
import { UsageError } from './usage-error.js';

/** Runs `bascule` with `argv` (without node and script) and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands = COMMANDS,
): Promise<number> {
  try {
    return await dispatch(argv, io, commands);
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.command ? `bascule ${error.command} --help` : 'bascule --help';
      io.stderr.write(`error: ${error.message}\nSee '${hint}'.\n`);
      return EXIT_USAGE;
    }
    // Unexpected failure: one line, never a stack trace.
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

async function dispatch(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[],
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic === undefined) {
      // Asked for: help on stdout, exit 0. No command at all: a usage error, help on stderr.
      (first === undefined ? io.stderr : io.stdout).write(renderRootHelp(commands));
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    io.stdout.write(renderCommandHelp(find(commands, topic)));
    return EXIT_OK;
  }
  if (first === '--version') return dispatch(['version', ...rest], io, commands);
  if (first.startsWith('-')) throw new UsageError(`unknown flag "${first}" before the command`);
  const command = find(commands, first);
  const ctx = parse(command, rest, io);
  if (ctx.flags.help === true) {
    io.stdout.write(renderCommandHelp(command));
    return EXIT_OK;
  }
  return command.run(ctx);
}

function find(commands: readonly Command[], name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"`);
  return command;
}

function parse(command: Command, args: string[], io: CliIo): CommandContext {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
  > = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, flag] of Object.entries(command.flags)) {
    options[name] = {
      type: flag.type,
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (parsed.values.help !== true && parsed.positionals.length > (command.maxArgs ?? 0)) {
      throw new UsageError(
        `unexpected argument "${parsed.positionals[command.maxArgs ?? 0]}"`,
        command.name,
      );
    }
    return { io, flags: parsed.values as CommandContext['flags'], args: parsed.positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(cleanParseError(error), command.name);
  }
}

/** node:util parseArgs messages, without their long hints. */
function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown flag "${unknown[1]}"`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `flag ${missing[1]} needs a value`;
  return message.split('\n')[0]!.replace(/\.$/, '');
}
