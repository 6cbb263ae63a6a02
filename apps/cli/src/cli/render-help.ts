import type { Command, FlagSpec } from './command.js';

/** `bascule <command> --help`. */
export function renderCommandHelp(command: Command): string {
  const lines = [command.summary, '', `Usage:\n  bascule ${command.usage}`, ''];
  if (command.description) lines.push(command.description.trimEnd(), '');
  const help: FlagSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };
  const flags = Object.entries({ ...command.flags, help });
  lines.push('Flags:');
  const left = flags.map(([name, f]) => {
    const short = f.short ? `-${f.short}, ` : '    ';
    return `  ${short}--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;
  });
  const width = Math.max(...left.map((l) => l.length)) + 2;
  flags.forEach(([, f], i) => lines.push(left[i]!.padEnd(width) + f.description));
  return lines.join('\n') + '\n';
}

/** `bascule --help`. */
export function renderRootHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'bascule controls Bascule: self-hosted LLM inference on Kubernetes with closed APIs as overflow.',
    '',
    'Usage:\n  bascule <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Use "bascule <command> --help" for more about a command.',
    '',
  ].join('\n');
}
