/** Identifiers the emulator hands out, shaped like the real ones (`ds_...`, `job_...`). */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A random id with a prefix, e.g. `job_c19xcf9mkws46gah0000`-like. */
export function newId(prefix: string, length = 20): string {
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[bytes[i]! % 32];
  return `${prefix}_${s}`;
}

/** An unguessable token for signed upload URLs. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}
