// `pnpm start`: brings up the embedded default stack. Grows as the roles land (see README).
import { existsSync } from 'node:fs';

const parts = [
  ['CLI (mpctl)', 'apps/cli/dist/main.js'],
  ['server (modelplane)', 'apps/control-plane/dist/main.js'],
  ['simulators', 'packages/sim/dist/cli/main.js'],
];
console.log('modelplane: built the workspace.');
for (const [name, file] of parts) {
  console.log(`  ${existsSync(file) ? 'ready  ' : 'pending'}  ${name}`);
}
console.log('The embedded stack (kube-sim, engine-sims, provider-sims, all roles) is not wired yet;');
console.log('try: pnpm mpctl validate -f manifests/examples');
