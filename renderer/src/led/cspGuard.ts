/*
 * The host's CSP lists, in connect-src, exactly the node origins of the cluster AS IT WAS when the
 * page loaded. A cluster created (or a node added) afterwards has ports the page may not connect
 * to yet, so an LED panel's WebSocket to it is blocked. The fix is a reload: the new page gets the
 * current policy. The open panels are kept in localStorage and reopen after it. A reload happens
 * at most once per blocked origin; if the origin is still blocked after that, the UI says so.
 */

const RELOADED_KEY = 'smq.cspReloadedFor';

export interface CspBlock {
  /** host:port of the blocked URL. */
  host: string;
  url: string;
}

function blockedHost(uri: string): string | null {
  try {
    const u = new URL(uri);
    return u.protocol === 'ws:' || u.protocol === 'wss:' || u.protocol === 'http:' || u.protocol === 'https:'
      ? u.host
      : null;
  } catch {
    return null;
  }
}

function readReloaded(): string[] {
  try {
    const v: unknown = JSON.parse(window.sessionStorage.getItem(RELOADED_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Calls `onStillBlocked` (once per origin) for a connect-src violation a reload already failed to cure;
 * otherwise saves state (`beforeReload`) and reloads the page.
 */
export function guardConnectSrc(
  beforeReload: () => void,
  onStillBlocked: (block: CspBlock) => void,
): () => void {
  const told = new Set<string>();
  const handler = (e: SecurityPolicyViolationEvent): void => {
    if (e.effectiveDirective !== 'connect-src') return;
    const host = blockedHost(e.blockedURI);
    if (!host || host === window.location.host) return;
    const reloadedFor = readReloaded();
    if (reloadedFor.includes(host)) {
      // The panel retries every few seconds: say it once.
      if (!told.has(host)) onStillBlocked({ host, url: e.blockedURI });
      told.add(host);
      return;
    }
    try {
      window.sessionStorage.setItem(RELOADED_KEY, JSON.stringify([...reloadedFor, host]));
    } catch {
      onStillBlocked({ host, url: e.blockedURI });
      return;
    }
    beforeReload();
    window.location.reload();
  };
  document.addEventListener('securitypolicyviolation', handler);
  return () => document.removeEventListener('securitypolicyviolation', handler);
}
