/**
 * The one way controllers write Kubernetes Events. An Event that cannot be written is reported
 * to `onError` and never fails a reconcile (Events are best-effort, as in client-go's recorder).
 */
import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';

export type EventWriter = Pick<CoreV1Api, 'createNamespacedEvent'>;

export class EventRecorder {
  constructor(
    private readonly core: EventWriter,
    private readonly onError: (err: unknown, event: CoreV1Event) => void = () => {},
  ) {}

  /** Writes the events in order; returns how many were written. */
  async record(events: readonly CoreV1Event[]): Promise<number> {
    let written = 0;
    for (const body of events) {
      try {
        await this.core.createNamespacedEvent({
          namespace: body.metadata.namespace ?? 'default',
          body,
        });
        written++;
      } catch (err) {
        this.onError(err, body);
      }
    }
    return written;
  }
}
