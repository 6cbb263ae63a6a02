export * from './kube-error.js';
export * from './create-kube-client.js';
export * from './apply-object.js';
export * from './leader-election.js';
