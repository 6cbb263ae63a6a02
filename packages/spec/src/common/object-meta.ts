import { z } from 'zod';
import { dnsLabel } from './dns-label.js';

const stringMap = () => z.record(z.string(), z.string());

/**
 * The part of Kubernetes ObjectMeta a manifest may carry. Server-populated fields are accepted
 * (so `kubectl get -o yaml` output loads) but not checked; anything else is an unknown field.
 */
export const ObjectMetaSchema = z.strictObject({
  name: dnsLabel().describe('Name of the resource, a DNS-1123 label, unique in its namespace.'),
  namespace: dnsLabel().optional().describe('Namespace; the current one when omitted.'),
  labels: stringMap().optional().describe('Kubernetes labels.'),
  annotations: stringMap().optional().describe('Kubernetes annotations.'),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.int().optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(z.record(z.string(), z.unknown())).optional(),
  managedFields: z.array(z.record(z.string(), z.unknown())).optional(),
  generateName: z.string().optional(),
  selfLink: z.string().optional(),
});
export type ObjectMeta = z.output<typeof ObjectMetaSchema>;
