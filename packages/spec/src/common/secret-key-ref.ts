import { z } from 'zod';
import { dnsLabel } from './dns-label.js';

/** A reference to one key of a Secret in the resource's namespace. */
export const SecretKeySelectorSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
      error: 'must be a DNS-1123 subdomain (a valid Secret name)',
    })
    .describe('Name of the Secret, in the same namespace as the resource.'),
  key: z
    .string()
    .min(1)
    .regex(/^[-._a-zA-Z0-9]+$/, { error: "must consist of letters, digits, '-', '_' or '.'" })
    .describe('Key inside the Secret whose value is used.'),
});
export type SecretKeySelector = z.output<typeof SecretKeySelectorSchema>;

/** A reference to a whole Secret (all keys), in the resource's namespace. */
export const SecretRefSchema = z.strictObject({
  name: dnsLabel().describe('Name of the Secret, in the same namespace as the resource.'),
});
export type SecretRef = z.output<typeof SecretRefSchema>;
