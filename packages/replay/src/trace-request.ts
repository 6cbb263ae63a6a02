/** One request of a trace, in the replay's time (ms from the start of the trace). */
export interface TraceRequest {
  at: number;
  promptTokens: number;
  outputTokens: number;
  /**
   * Ids of the prompt's 512-token blocks (the Mooncake traces' `hash_ids`): requests that share
   * a prefix share its leading ids. Absent when the trace does not say (Azure).
   */
  hashIds?: readonly number[];
}

/** A named, time-ordered list of requests. */
export interface Trace {
  name: string;
  requests: TraceRequest[];
}

/** Problem with a trace file or a trace flag, naming the file and line or the field. */
export class TraceError extends Error {
  override name = 'TraceError';
}
