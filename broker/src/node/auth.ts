import { createHash, timingSafeEqual } from 'node:crypto';
import { ConnackCode } from '../protocol/constants.js';
import type { AuthRequest, AuthResult } from './options.js';

/**
 * The credentials of the published C LED example: SHA-1 over the password bytes, then the 4 Init
 * seed bytes least significant first, sent as the raw 20-byte digest.
 */
export function seededHash(password: string | Buffer, seed: number): Buffer {
  const seedLe = Buffer.allocUnsafe(4);
  seedLe.writeUInt32LE(seed >>> 0, 0);
  return createHash('sha1').update(password).update(seedLe).digest();
}

/** Accepts clients whose credentials are seededHash(password, seed); others get Connack 3. */
export function seededHashAuthenticator(password: string): (req: AuthRequest) => AuthResult {
  return (req) => verdict(equal(req.credentials, seededHash(password, req.seed)));
}

/** Accepts clients whose credentials are exactly the shared key's bytes; others get Connack 3. */
export function sharedKeyAuthenticator(key: string | Buffer): (req: AuthRequest) => AuthResult {
  const expected = Buffer.from(key);
  return (req) => verdict(equal(req.credentials, expected));
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function verdict(ok: boolean): AuthResult {
  return ok || { code: ConnackCode.BadCredentials, reason: 'bad credentials' };
}
