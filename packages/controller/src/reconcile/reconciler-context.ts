/**
 * What every reconciler of the controller shares: the API client, the shared informers, the
 * one Event recorder, the logger and the clock.
 */
import type { EventRecorder, KubeClient } from '@bascule/kube';
import type { Logger } from 'pino';
import type { ClusterInformers } from '../informers/cluster-informers.js';

export interface ReconcilerContext {
  client: KubeClient;
  informers: ClusterInformers;
  events: EventRecorder;
  log: Logger;
  now: () => Date;
}
