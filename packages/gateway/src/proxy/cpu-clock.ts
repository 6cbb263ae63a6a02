/**
 * This process's CPU time in ms: the clock of privacy.detect's scan bound. A synchronous scan
 * burns CPU only, so wall time would also count the time the OS gave other processes (a busy
 * node), turning load into false timeouts.
 */
export function cpuClockMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
