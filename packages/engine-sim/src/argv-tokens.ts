/** A command line split into flags (with their raw values) and positionals, in order. */
export interface ParsedArgv {
  flags: Map<string, string[]>;
  positionals: string[];
}

export interface ArgvShape {
  /** Flags that never take a value. */
  booleans: ReadonlySet<string>;
  /** Flags that take one or more values (argparse nargs='+'). */
  multi: ReadonlySet<string>;
  /** Short aliases: '-tp' → '--tensor-parallel-size'. */
  aliases: Readonly<Record<string, string>>;
  /** Leading words of the command itself ('vllm', 'serve', 'python3', '-m', module...). */
  prefixes: ReadonlySet<string>;
}

/**
 * Splits argv the way argparse/clap would see it: `--flag value`, `--flag=value`, repeated
 * flags (last wins for single-valued ones), nargs='+' lists. A flag not in `booleans` takes the
 * next word as its value unless that word is itself a flag, so unknown real flags are skipped.
 */
export function splitArgv(argv: readonly string[], shape: ArgvShape): ParsedArgv {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  let i = 0;
  while (i < argv.length && shape.prefixes.has(argv[i]!)) i++;
  const isFlag = (w: string | undefined) => w !== undefined && /^--?[a-zA-Z]/.test(w);
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (!isFlag(word)) {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    let name = eq > 0 ? word.slice(0, eq) : word;
    name = shape.aliases[name] ?? name;
    name = name.replace(/_/g, '-');
    const values: string[] = [];
    if (eq > 0) values.push(word.slice(eq + 1));
    else if (!shape.booleans.has(name)) {
      while (i + 1 < argv.length && !isFlag(argv[i + 1])) {
        values.push(argv[++i]!);
        if (!shape.multi.has(name)) break;
      }
    }
    flags.set(name, shape.multi.has(name) ? [...(flags.get(name) ?? []), ...values] : values);
  }
  return { flags, positionals };
}
