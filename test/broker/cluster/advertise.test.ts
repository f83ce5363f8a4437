import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { advertisedHost } from '../../../broker/src/cluster/Cluster.js';

describe('the URL a node advertises to its peers', () => {
  it('is the bound address when bound to one', () => {
    expect(advertisedHost('127.0.0.1', 'IPv4')).toBe('127.0.0.1');
    expect(advertisedHost('10.1.2.3', 'IPv4')).toBe('10.1.2.3');
    expect(advertisedHost('::1', 'IPv6')).toBe('[::1]');
  });

  it('is a non-loopback interface address when bound to every interface (never 127.0.0.1 if one exists)', () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i?.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    for (const [address, family] of [
      ['0.0.0.0', 'IPv4'],
      ['::', 'IPv6'],
    ] as const) {
      const host = advertisedHost(address, family);
      if (external.length > 0) expect(external).toContain(host);
      else expect(host).toBe('127.0.0.1');
    }
  });
});
