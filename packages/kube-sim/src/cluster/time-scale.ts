// Simulated durations to real milliseconds. timeScale is a speed-up factor: 10 runs simulated
// delays (image pulls, probe periods, back-off, deadlines) ten times faster than real time.

export interface TimeScale {
  readonly factor: number;
  /** Real milliseconds for a simulated duration in seconds. */
  ms(seconds: number): number;
}

export function createTimeScale(factor = 1): TimeScale {
  if (!Number.isFinite(factor) || factor <= 0)
    throw new Error(`timeScale must be a positive number, got ${factor}`);
  return { factor, ms: (seconds) => (seconds * 1000) / factor };
}
