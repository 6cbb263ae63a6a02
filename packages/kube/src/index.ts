export * from './kube-error.js';
export * from './create-kube-client.js';
export * from './apply-object.js';
export * from './leader-election.js';
export * from './queue/work-queue.js';
export * from './informer/create-informer.js';
