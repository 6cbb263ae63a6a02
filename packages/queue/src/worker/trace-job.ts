import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { DelayedError, type Job } from 'bullmq';
import type { QueuedRequest } from '../queues/job-data.js';

/**
 * Runs one queued request in a `bascule.job` span (tracing on only). The span is the active
 * context while it runs, so the gateway request it sends carries its traceparent.
 */
export function traceJob(
  tracer: Tracer,
  job: Job<QueuedRequest>,
  run: () => Promise<string>,
): Promise<string> {
  const q = job.data;
  return tracer.startActiveSpan(
    'bascule.job',
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'bullmq',
        'bascule.job.kind': q.kind,
        'bascule.job.id': q.id,
        'bascule.target': q.target,
        'bascule.job.attempt': job.attemptsMade + 1,
        ...(q.kind === 'line' && q.customId ? { 'bascule.batch.custom_id': q.customId } : {}),
      },
    },
    async (span) => {
      try {
        const outcome = await run();
        span.setAttribute('bascule.job.outcome', outcome);
        return outcome;
      } catch (err) {
        if (err instanceof DelayedError) span.setAttribute('bascule.job.outcome', 'handed-back');
        else
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: err instanceof Error ? err.message.slice(0, 200) : 'error',
          });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
