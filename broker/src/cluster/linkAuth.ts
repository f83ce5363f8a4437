import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Challenge-response over both sides' nonces: each side proves it holds the cluster secret with
 * an HMAC bound to both nonces, both node ids and its role, so a proof can be neither replayed
 * nor reflected back. The secret itself never crosses the wire.
 */
export interface Challenge {
  acceptorNonce: string;
  solicitorNonce: string;
  acceptorId: string;
  solicitorId: string;
}

export type Role = 'solicitor' | 'acceptor';

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function proofOf(secret: string, role: Role, c: Challenge): string {
  return createHmac('sha256', secret)
    .update(['smq-link-v1', role, c.acceptorNonce, c.solicitorNonce, c.acceptorId, c.solicitorId].join('\n'))
    .digest('hex');
}

export function verifyProof(secret: string, role: Role, c: Challenge, proof: unknown): boolean {
  if (typeof proof !== 'string') return false;
  const expected = Buffer.from(proofOf(secret, role, c), 'hex');
  const got = Buffer.from(proof, 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected);
}
