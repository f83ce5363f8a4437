/**
 * The page's Content-Security-Policy and the other headers every host response carries. Pure
 * functions: the host server sends them, and the Electron session adds the same CSP again as
 * defense in depth.
 */

/**
 * `http://h:p` → `['http://h:p', 'ws://h:p']` (https → wss); anything that is not an http(s)
 * origin (a path, a wildcard, a quote that would end the directive) is dropped, so a node URL can
 * never widen the policy.
 */
export function connectSources(origin: string): string[] {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return [];
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
  if (url.username || url.password || url.host === '' || url.host.includes('*')) return [];
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${ws}//${url.host}`];
}

/**
 * The policy for the control center's page: its own origin only, plus exactly the node origins
 * of the active cluster (http and ws forms) in `connect-src`, for the LED panels' SMQ clients.
 * No inline script, no eval; styles from files only (React and React Flow set styles through the
 * CSSOM, which style-src does not govern).
 */
export function contentSecurityPolicy(hostOrigin: string, nodeOrigins: readonly string[]): string {
  const connect = new Set<string>(connectSources(hostOrigin));
  for (const origin of nodeOrigins) for (const source of connectSources(origin)) connect.add(source);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${[...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every host response, HTML or not. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});
