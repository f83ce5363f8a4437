import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Per-launch credentials of the host. The launch token travels once in the printed URL and is
 * exchanged for an HttpOnly, SameSite=Strict session cookie; the cookie's value is a second secret,
 * so the URL never becomes the session itself. Browsers scope cookies by host, not by port: the
 * cookie's name carries the port so that two hosts on 127.0.0.1 (two launches, or a node) neither
 * overwrite nor read each other's session.
 */
export class HostCredentials {
  readonly token: string;
  private readonly session: string;
  private cookieName = 'smq_cc';

  constructor(token: string = randomSecret()) {
    this.token = token;
    this.session = randomSecret();
  }

  /** Called once the port is known. */
  bindPort(port: number): void {
    this.cookieName = `smq_cc_${port}`;
  }

  tokenMatches(candidate: string | null): boolean {
    return candidate !== null && safeEqual(candidate, this.token);
  }

  hasSession(req: IncomingMessage): boolean {
    const value = readCookie(req.headers.cookie, this.cookieName);
    return value !== undefined && safeEqual(value, this.session);
  }

  /** The Set-Cookie value that opens a session (no Max-Age: it ends with the browser session). */
  sessionCookie(): string {
    return `${this.cookieName}=${this.session}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

/** 32 random bytes, base64url: safe in a URL and in a cookie value. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The value of one cookie in a Cookie header; the first one wins when a name repeats. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
