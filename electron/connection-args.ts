import type { ConnectionDetails } from '../contract/hostContract.js';

/*
 * How main hands the window its connection details: one `additionalArguments` entry, which a
 * sandboxed preload reads from process.argv (it can read no files). Shared by main and preload.
 */

const PREFIX = '--smq-connection=';

export function connectionArgument(details: ConnectionDetails): string {
  return PREFIX + encodeURIComponent(JSON.stringify({ hostUrl: details.hostUrl, wsPath: details.wsPath }));
}

/**
 * The details from argv, frozen, or null when absent or not a loopback http origin with an
 * absolute path: the page never gets a URL main did not build.
 */
export function connectionFromArgv(argv: readonly string[]): Readonly<ConnectionDetails> | null {
  const arg = argv.find((a) => a.startsWith(PREFIX));
  if (arg === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(decodeURIComponent(arg.slice(PREFIX.length)));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { hostUrl, wsPath } = value as Record<string, unknown>;
  if (typeof hostUrl !== 'string' || !/^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(hostUrl)) return null;
  if (typeof wsPath !== 'string' || !/^\/(?!\/)[\w\-/]*$/.test(wsPath)) return null;
  return Object.freeze({ hostUrl, wsPath });
}
