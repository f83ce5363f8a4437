import { timingSafeEqual } from 'node:crypto';

/** Shortest admin token accepted. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** The node's admin token, checked against `Authorization: Bearer <token>` in constant time. */
export class AdminToken {
  private readonly token: Buffer;

  constructor(token: string) {
    if (token.length < MIN_ADMIN_TOKEN_LENGTH)
      throw new Error(`an admin token needs ${MIN_ADMIN_TOKEN_LENGTH} or more characters`);
    this.token = Buffer.from(token);
  }

  /** True only for exactly `Bearer <token>`. */
  allows(authorization: string | undefined): boolean {
    const given = Buffer.from(authorization?.startsWith('Bearer ') ? authorization.slice(7) : '');
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}
