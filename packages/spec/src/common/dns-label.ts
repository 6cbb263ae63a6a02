import { z } from 'zod';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `value` is an RFC 1123 label (what Kubernetes requires of most names). */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_1123_LABEL.test(value);
}

/** A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, <= 63. */
export const dnsLabel = () =>
  z
    .string()
    .max(63, { error: 'must be at most 63 characters (a DNS-1123 label)' })
    .regex(DNS_1123_LABEL, {
      error:
        "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
    });
