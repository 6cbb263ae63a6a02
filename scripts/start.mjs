// `pnpm start` (after `pnpm build`): the whole of Bascule on a simulated GPU cluster.
// The logic lives in apps/local-stack/src (TypeScript); this file only launches it.
// `pnpm start -- --help` lists the flags.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'apps/local-stack/dist/run-start.js');
if (!existsSync(entry)) {
  console.error('bascule start: the workspace is not built; run `pnpm build` (pnpm start does).');
  process.exit(1);
}
const { runStart } = await import(pathToFileURL(entry).href);

let signalled = false;
const stopSignal = new Promise((resolve) => {
  const on = (signal) => {
    if (signalled) {
      // A second Ctrl-C while stopping: the children are stopped with SIGKILL by their timers.
      process.stderr.write('bascule start: still stopping (press Ctrl-C again to force)\n');
      process.once('SIGINT', () => process.exit(130));
      return;
    }
    signalled = true;
    resolve(signal);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, on);
});

const code = await runStart(process.argv.slice(2), {
  root,
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stopSignal,
});
process.exit(code);
