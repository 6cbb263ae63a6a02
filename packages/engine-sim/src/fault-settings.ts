import { z } from 'zod';

/**
 * Faults engine-sim injects, set by flags at start and changed at run time through
 * `POST /admin/faults`. Rates are probabilities per inference request.
 */
export const faultSettingsSchema = z
  .object({
    /** Share of requests answered 500 with the engine's error body. */
    errorRate: z.number().min(0).max(1),
    /** Share of requests answered 503 (overloaded / not ready). */
    unavailableRate: z.number().min(0).max(1),
    /** Share of requests that never get an answer (the connection stays open). */
    hangRate: z.number().min(0).max(1),
    /** Extra wall-clock delay between streamed chunks, in ms. */
    slowStreamMs: z.number().min(0).max(60_000),
    /** The process "crashes" (closes every connection, stops listening) after this many requests. */
    crashAfterRequests: z.number().int().min(1).nullable(),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export const NO_FAULTS: FaultSettings = {
  errorRate: 0,
  unavailableRate: 0,
  hangRate: 0,
  slowStreamMs: 0,
  crashAfterRequests: null,
};
