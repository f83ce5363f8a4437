import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { HostAddress, HostError } from '../../../contract/hostContract.js';
import { hostError } from './hostError.js';

/** Where local nodes listen unless the user binds one elsewhere: only this machine reaches it. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * This machine's addresses a node can bind to: other computers' reach first (non-internal IPv4,
 * then IPv6), loopback last. Link-local IPv6 (fe80::) is left out: a URL to it needs the zone
 * (`%eth0`), which devices and browsers do not take.
 */
export function hostAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): HostAddress[] {
  const out: HostAddress[] = [];
  for (const [name, list] of Object.entries(interfaces)) {
    for (const i of list ?? []) {
      if (i.family === 'IPv6' && /^fe80:/i.test(i.address)) continue;
      out.push({ address: i.address, family: i.family, interface: name, internal: i.internal });
    }
  }
  const rank = (a: HostAddress): number => (a.internal ? 2 : 0) + (a.family === 'IPv6' ? 1 : 0);
  return out.sort((a, b) => rank(a) - rank(b));
}

/** `host` if a node may bind to it (one of hostAddresses()); BadArguments otherwise. */
export function bindableHost(host: unknown, addresses: readonly HostAddress[] = hostAddresses()): string {
  if (typeof host === 'string' && addresses.some((a) => a.address === host)) return host;
  throw hostError({
    code: 'BadArguments',
    message: `${String(host)} is not an address of this machine (${addresses.map((a) => a.address).join(', ')})`,
  });
}

/**
 * Where a restored node binds: its saved address while that is still one of this machine's, else
 * loopback, with the notice saying why (a LAN address gone, or a hand-edited 0.0.0.0), so a
 * profile never widens who can reach a node without the user choosing it again.
 */
export function restoredHost(
  saved: string | undefined,
  addresses: readonly HostAddress[] = hostAddresses(),
): { host: string; notice: HostError | null } {
  if (saved === undefined || saved === LOOPBACK_HOST || addresses.some((a) => a.address === saved))
    return { host: saved ?? LOOPBACK_HOST, notice: null };
  return {
    host: LOOPBACK_HOST,
    notice: {
      code: 'AddressUnavailable',
      message: `the profile binds it to ${saved}, which is not an address of this machine now: it runs on ${LOOPBACK_HOST} (bind it again to choose one)`,
    },
  };
}
