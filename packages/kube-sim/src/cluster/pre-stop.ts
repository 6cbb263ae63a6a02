// A container's preStop hook, as far as a simulated container can run it: `sleep` (the
// lifecycle sleep action) and an exec hook that only sleeps (["sleep","10"] or
// ["/bin/sh","-c","sleep 10"], the usual "let load balancers catch up" hook) wait that many
// (scaled) seconds; an httpGet hook is sent to the container; any other exec hook does nothing.
import type { LifecycleHandler } from './kube-types.js';

/** Simulated seconds a preStop hook sleeps (pure); 0 when it does not sleep. */
export function preStopSleepSeconds(hook: LifecycleHandler | undefined): number {
  if (!hook) return 0;
  if (hook.sleep && Number.isFinite(hook.sleep.seconds)) return Math.max(0, hook.sleep.seconds);
  const command = hook.exec?.command ?? [];
  const line =
    command.length >= 3 && /(^|\/)(ba)?sh$/.test(command[0] ?? '') && command[1] === '-c'
      ? (command[2] ?? '')
      : command.join(' ');
  const m = /^\s*(?:\/bin\/)?sleep\s+(\d+(?:\.\d+)?)s?\s*;?\s*$/.exec(line);
  return m ? Number(m[1]) : 0;
}
