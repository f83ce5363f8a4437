import { describe, expect, it } from 'vitest';
import { attachArgs, nodeOrigin } from '../../../../electron/host/control/remoteNodes.js';

const TOKEN = 'a-token-of-sixteen+';

describe('remote node URLs', () => {
  it('normalizes what a user pastes to the node’s http(s) origin', () => {
    expect(nodeOrigin('ws://10.0.0.5:8080/smq.lsp')).toBe('http://10.0.0.5:8080');
    expect(nodeOrigin('wss://broker.example:8443')).toBe('https://broker.example:8443');
    expect(nodeOrigin('  http://Broker.Example:8080/  ')).toBe('http://broker.example:8080');
    expect(nodeOrigin('https://broker.example:443/health')).toBe('https://broker.example');
    expect(nodeOrigin('host1:8080')).toBe('http://host1:8080');
    expect(nodeOrigin('[::1]:9000')).toBe('http://[::1]:9000');
  });

  it('refuses other schemes, credentials and non-URLs', () => {
    for (const bad of [
      'ftp://h:21',
      'http://user:pw@h:8080',
      'http://',
      'file:///etc/passwd',
      'ws://h:99999',
    ]) {
      expect(() => nodeOrigin(bad), bad).toThrow(expect.objectContaining({ code: 'BadArguments' }));
    }
  });

  it('checks the whole argument set: 1..16 distinct nodes and a token smq-node would take', () => {
    expect(attachArgs(['h1:8080', ' ', 'ws://h2:8080/smq.lsp'], TOKEN)).toEqual({
      origins: ['http://h1:8080', 'http://h2:8080'],
      token: TOKEN,
    });
    const refused = (urls: unknown, token: unknown): void =>
      expect(() => attachArgs(urls, token)).toThrow(expect.objectContaining({ code: 'BadArguments' }));
    refused([], TOKEN);
    refused('h1:8080', TOKEN);
    refused([8080], TOKEN);
    refused(
      Array.from({ length: 17 }, (_, i) => `h${i}:8080`),
      TOKEN,
    );
    refused(['h1:8080', 'ws://h1:8080/smq.lsp'], TOKEN);
    refused(['h1:8080'], 'short');
    refused(['h1:8080'], undefined);
    refused(['h1:8080'], 'sixteen-chars-and\r\nX-Injected: 1');
  });
});
