import { isHostName } from '../../../contract/hostContract.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Below this many days left a certificate shows as expiring soon (what certificate pages warn at). */
export const EXPIRY_WARNING_DAYS = 30;

/** Every local certificate names these (the host adds them itself): never removed from the list. */
export const LOCAL_CERTIFICATE_HOSTS: readonly string[] = ['127.0.0.1', 'localhost'];

export type ExpiryTone = 'ok' | 'soon' | 'expired';

/** Whole days from `nowMs` to `notAfterMs`, rounded down (0 on the last day, negative once past). */
export function daysLeft(notAfterMs: number, nowMs: number): number {
  return Math.floor((notAfterMs - nowMs) / DAY_MS);
}

export function expiryTone(notAfterMs: number, nowMs: number): ExpiryTone {
  if (notAfterMs <= nowMs) return 'expired';
  return daysLeft(notAfterMs, nowMs) < EXPIRY_WARNING_DAYS ? 'soon' : 'ok';
}

/** "41 days left", "1 day left", "expires today", "expired". */
export function daysLeftText(notAfterMs: number, nowMs: number): string {
  if (notAfterMs <= nowMs) return 'expired';
  const days = daysLeft(notAfterMs, nowMs);
  if (days === 0) return 'expires today';
  return `${days} ${days === 1 ? 'day' : 'days'} left`;
}

/** The date in the user's own format (a certificate's day matters, not its second). */
export function formatDay(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Why `text` cannot be added to the certificate's hosts, or null when it can (trimmed and
 * lowercased by the caller). Names follow the host's own rule (isHostName); whether an IP address
 * belongs to this machine only the host knows, so that error comes back from it.
 */
export function hostInputProblem(text: string, listed: readonly string[]): string | null {
  if (text === '') return 'Type a host name or an IP address.';
  if (listed.includes(text)) return `${text} is already listed.`;
  if (text.includes(':')) return /^[0-9a-f:.]+$/.test(text) ? null : `${text} is not an IPv6 address.`;
  if (/^[\d.]+$/.test(text))
    return IPV4.test(text) && text.split('.').every((o) => Number(o) <= 255)
      ? null
      : `${text} is not an IPv4 address.`;
  if (isHostName(text)) return null;
  return `${text} is not a host name: letters, digits, hyphens and dots only (e.g. smq.example.lan).`;
}
