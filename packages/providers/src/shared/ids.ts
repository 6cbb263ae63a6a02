import { randomBytes } from 'node:crypto';

export function generateId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('base64url')}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
