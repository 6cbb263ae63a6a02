// Whether the real kubectl is on PATH. Tests against kube-sim skip without it on a developer's
// machine, but never in CI: with CI=true a missing kubectl fails the test file (issue 22), and
// .ci/run installs it or stops first.
import { spawnSync } from 'node:child_process';

function detectKubectl(): boolean {
  const ok = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  if (!ok && process.env.CI === 'true') {
    throw new Error(
      'kubectl is not on PATH, and CI=true: kubectl tests must run in CI, not skip (install kubectl; .ci/run does)',
    );
  }
  if (!ok) process.stderr.write('kubectl not found on PATH: skipping the kubectl tests\n');
  return ok;
}

export const hasKubectl = detectKubectl();
