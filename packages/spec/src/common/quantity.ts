import { z } from 'zod';

/** Kubernetes resource quantity (`8`, `500m`, `64Gi`, `1.5e3`). */
const QUANTITY =
  /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** A Kubernetes quantity, as a string (`64Gi`, `500m`) or a plain non-negative number. */
export const quantity = () =>
  z.union([
    z.int().nonnegative(),
    z.string().regex(QUANTITY, {
      error: 'must be a Kubernetes quantity such as "8", "500m", "64Gi"',
    }),
  ]);
