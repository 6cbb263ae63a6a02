/** One request of a trace, in the replay's time (ms from the start of the trace). */
export interface TraceRequest {
  at: number;
  promptTokens: number;
  outputTokens: number;
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
