/**
 * The citizen's secret access code: 12 characters from an alphabet without look-alikes (about 60 bits),
 * stored only as a salted SHA-256. A slow hash is not needed at this entropy and would cost every
 * submission tens of milliseconds of CPU; online guessing is capped per receipt number instead.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const ACCESS_CODE_LENGTH = 12;

export function newAccessCode(): string {
  let code = '';
  for (let i = 0; i < ACCESS_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Citizens may type it in lower case or with spaces and dashes. */
export const normaliseAccessCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

export function hashAccessCode(code: string, salt = randomBytes(16).toString('hex')): { hash: string; salt: string } {
  const hash = createHash('sha256').update(salt).update(normaliseAccessCode(code)).digest('hex');
  return { hash, salt };
}

export function accessCodeMatches(code: string, stored: { hash: string; salt: string }): boolean {
  const { hash } = hashAccessCode(code, stored.salt);
  return timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(stored.hash, 'hex'));
}
