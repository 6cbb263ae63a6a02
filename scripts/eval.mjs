// `pnpm eval <name> [args]`: offline evaluations, each a TypeScript script under scripts/eval/
// run with tsx against the packages' sources (no build needed).
//
//   pnpm eval routing --data FILE.jsonl --scores-out OUT.jsonl [--learn TRAIN.jsonl] [--route NAME [--redis URL]]
//   pnpm eval routing-train [--data FILE] [--out FILE] [--version X.Y.Z] [--check]
//   pnpm eval routing-report [--data FILE] [--write] [--rounds N] [--only heldout|transfer|learn]
//   pnpm eval routing-learn-split [--data FILE] [--seeds N] [--rounds N] [--only TEXT] [--write]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const EVALS = {
  routing: 'scripts/eval/routing.ts',
  'routing-train': 'scripts/eval/routing-train.ts',
  'routing-report': 'scripts/eval/routing-report.ts',
  'routing-learn-split': 'scripts/eval/routing-learn-split.ts',
};
const [name, ...args] = process.argv.slice(2);
if (!name || !(name in EVALS)) {
  console.error(
    `pnpm eval: ${name ? `unknown evaluation ${JSON.stringify(name)}` : 'name an evaluation'} (known: ${Object.keys(EVALS).join(', ')})`,
  );
  process.exit(2);
}
const r = spawnSync(
  process.execPath,
  [
    '--import',
    import.meta.resolve('tsx'),
    '--conditions',
    'source',
    join(ROOT, EVALS[name]),
    ...args,
  ],
  { stdio: 'inherit', cwd: process.cwd() },
);
process.exit(r.status ?? 1);
