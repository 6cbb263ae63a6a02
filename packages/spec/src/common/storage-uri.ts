import { z } from 'zod';

const HF = /^hf:\/\/[A-Za-z0-9][-A-Za-z0-9_.]*\/[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const S3 = /^s3:\/\/[a-z0-9][-a-z0-9.]{1,61}[a-z0-9](\/[^\s]*)?$/;
const PVC = /^pvc:\/\/[a-z0-9]([-a-z0-9]*[a-z0-9])?(\/[^\s]*)?$/;

export type StorageScheme = 'hf' | 's3' | 'pvc';

/** The three forms in one pattern (RE2-compatible, so the CRD can carry it too). */
const STORAGE_URI = new RegExp(`^(${[HF, S3, PVC].map((r) => r.source.slice(1, -1)).join('|')})$`);

/** A model-weights location: `hf://org/name`, `s3://bucket/path` or `pvc://claim/path`. */
export const storageUri = () =>
  z.string().regex(STORAGE_URI, {
    error: 'must be a URI of the form hf://org/name, s3://bucket/path or pvc://claim-name/path',
  });

export interface ParsedStorageUri {
  scheme: StorageScheme;
  /** `org/name` for hf, the bucket for s3, the claim name for pvc. */
  authority: string;
  /** Path inside the bucket or claim, without a leading slash ('' when none). */
  path: string;
}

/** Splits a storage URI; throws on one that `storageUri()` would reject. */
export function parseStorageUri(uri: string): ParsedStorageUri {
  if (HF.test(uri)) return { scheme: 'hf', authority: uri.slice(5), path: '' };
  const scheme = S3.test(uri) ? 's3' : PVC.test(uri) ? 'pvc' : undefined;
  if (!scheme) throw new Error(`invalid storage URI "${uri}"`);
  const rest = uri.slice(scheme.length + 3);
  const slash = rest.indexOf('/');
  return slash < 0
    ? { scheme, authority: rest, path: '' }
    : { scheme, authority: rest.slice(0, slash), path: rest.slice(slash + 1) };
}
