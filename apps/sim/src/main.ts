#!/usr/bin/env node
// `pnpm sim <command>`: the simulators' entry point. Each command lives in its own module.
type Command = { run(argv: string[]): Promise<number>; summary: string };

const commands: Record<string, () => Promise<Command>> = {
  engine: () => import('./engine-command.js'),
  provider: () => import('./provider-command.js'),
  cluster: () => import('./cluster-command.js'),
  replay: () => import('./replay-command.js'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const lines = await Promise.all(
      Object.entries(commands).map(
        async ([n, load]) => `  ${n.padEnd(10)}${(await load()).summary}`,
      ),
    );
    process.stdout.write(`Usage: pnpm sim <command> [flags]\n\nCommands:\n${lines.join('\n')}\n`);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(
      `sim: unknown command "${name}" (try: ${Object.keys(commands).join(', ')})\n`,
    );
    return 2;
  }
  return (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`sim: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
