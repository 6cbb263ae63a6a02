import { z } from 'zod';
import { API_VERSION } from '../api-version.js';
import { ObjectMetaSchema } from './object-meta.js';

/** apiVersion, kind and metadata: the envelope every resource shares. */
export function resourceEnvelope<K extends string>(kind: K) {
  return {
    apiVersion: z.literal(API_VERSION).describe(`Always ${API_VERSION}.`),
    kind: z.literal(kind).describe(`Always ${kind}.`),
    metadata: ObjectMetaSchema.describe('Standard Kubernetes object metadata.'),
  };
}
