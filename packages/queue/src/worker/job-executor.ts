/** One request sent on a job's behalf. */
export interface ExecuteRequest {
  url: string;
  body: Record<string, unknown>;
  /** false: self-hosted targets only (the gateway's strict privacy). */
  allowExternal: boolean;
  /** The key that submitted the work: the gateway admits and bills the request under it. */
  onBehalfOf?: string;
  signal?: AbortSignal;
}

export interface ExecuteResult {
  status: number;
  /** Response body text (JSON). */
  body: string;
  requestId: string;
  /** Which target served it (x-bascule-target), when known. */
  servedBy?: string;
}

/** Runs a job's request somewhere: through the gateway by default. */
export interface JobExecutor {
  execute(req: ExecuteRequest): Promise<ExecuteResult>;
  close?(): Promise<void>;
}
