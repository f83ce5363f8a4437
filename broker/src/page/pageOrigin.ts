import { networkInterfaces } from 'node:os';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const ANY = new Set(['0.0.0.0', '::', '[::]']);
/** A Host header: a DNS name, an IPv4 address or a bracketed IPv6 address, and an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;

/** An address as it appears in a URL: IPv6 in brackets, lower case. */
export function urlHost(address: string): string {
  const a = address.toLowerCase();
  return a.includes(':') && !a.startsWith('[') ? `[${a}]` : a;
}

/**
 * The WebSocket origin (`ws://host:port`) the LED page may connect to, for its CSP. It follows
 * the Host header only when that names this node: its bound address and port, a loopback name
 * when bound to loopback or to all interfaces, or an interface address when bound to all. Any
 * other Host (a DNS-rebinding name, or a header crafted to inject CSP directives) gives the bound
 * address; `'self'` still covers the page's own origin in browsers that follow CSP 3.
 */
export function pageWsOrigin(hostHeader: string | undefined, boundAddress: string, port: number): string {
  const bound = urlHost(boundAddress);
  const m = HOST_HEADER.exec(hostHeader ?? '');
  if (m) {
    const host = m[1]!.toLowerCase();
    const hostPort = m[2] === undefined ? 80 : Number(m[2]);
    if (hostPort === port && namesThisNode(host, bound)) return `ws://${host}:${port}`;
  }
  return `ws://${ANY.has(bound) ? '127.0.0.1' : bound}:${port}`;
}

function namesThisNode(host: string, bound: string): boolean {
  if (host === bound) return true;
  if (LOOPBACK.has(host) && (LOOPBACK.has(bound) || bound.startsWith('127.') || ANY.has(bound))) return true;
  if (!ANY.has(bound)) return false;
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if (urlHost(i.address) === host) return true;
  }
  return false;
}
