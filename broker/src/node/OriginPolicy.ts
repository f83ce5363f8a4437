import { networkInterfaces } from 'node:os';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const ANY = new Set(['0.0.0.0', '::']);

/**
 * Which browser pages may open a WebSocket to a node. Devices send no Origin and are always let in;
 * a loopback page could connect without a browser anyway; the node's own origin is its bound
 * address (every interface address when bound to all), never the Host header, which a DNS-rebinding
 * page controls. Anything else needs --allow-origin, so a page from the internet cannot drive LEDs.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(
    private readonly boundHost: string,
    private readonly port: number,
    allowOrigins: readonly string[] = [],
  ) {
    this.allowed = new Set(allowOrigins.map((o) => o.toLowerCase().replace(/\/+$/, '')));
  }

  allows(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const o = origin.toLowerCase();
    if (this.allowed.has(o)) return true;
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (LOOPBACK.has(url.hostname)) return true;
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return port === this.port && this.ownHosts().has(url.hostname);
  }

  private ownHosts(): Set<string> {
    if (!ANY.has(this.boundHost)) return new Set([bracket(this.boundHost)]);
    const hosts = new Set<string>();
    for (const list of Object.values(networkInterfaces())) {
      for (const i of list ?? []) hosts.add(bracket(i.address));
    }
    return hosts;
  }
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host.toLowerCase()}]` : host;
}
