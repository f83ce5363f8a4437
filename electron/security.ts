import type { Event, OnHeadersReceivedListenerDetails, Session, WebContents } from 'electron';

/**
 * The window's guard rails, applied to every WebContents and to the session: nothing opens a
 * window, navigates away from the host's page, attaches a <webview> or gets a permission; and the
 * page's CSP is set again on every document response (defense in depth: the host sends it too).
 */

/** A navigation that stays on the same page of the same origin (a reload, a new query). */
export function isSameAppUrl(target: string, current: string): boolean {
  try {
    const t = new URL(target);
    const c = new URL(current);
    return t.origin === c.origin && t.pathname === c.pathname;
  } catch {
    return false;
  }
}

export function hardenWebContents(contents: WebContents, hostOrigin: () => string | null): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event: Event, url: string) => {
    if (!isSameAppUrl(url, contents.getURL())) event.preventDefault();
  });
  // The token URL answers with a redirect to the clean URL on the same origin: nothing else.
  contents.on('will-redirect', (event: Event, url: string) => {
    const origin = hostOrigin();
    if (origin === null || !sameOrigin(url, origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

const DOCUMENTS: ReadonlySet<OnHeadersReceivedListenerDetails['resourceType']> = new Set([
  'mainFrame',
  'subFrame',
]);

/** Replaces any CSP a document response carries with `csp` (header names are case-insensitive). */
export function withCsp(
  details: Pick<OnHeadersReceivedListenerDetails, 'resourceType' | 'responseHeaders'>,
  csp: string,
): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
    if (DOCUMENTS.has(details.resourceType) && name.toLowerCase() === 'content-security-policy') continue;
    headers[name] = value;
  }
  if (DOCUMENTS.has(details.resourceType)) headers['Content-Security-Policy'] = [csp];
  return headers;
}

export function hardenSession(session: Session, csp: () => string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCsp(details, csp()) }),
  );
}
