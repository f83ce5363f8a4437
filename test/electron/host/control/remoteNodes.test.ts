import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachArgs, nodeOrigin, readCaFile } from '../../../../electron/host/control/remoteNodes.js';

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

describe('readCaFile', () => {
  it('refuses a file over 1 MB, or a device, before reading it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smq-cc-cafile-'));
    try {
      const big = path.join(dir, 'big.pem');
      // Sparse: 2 MB by its size, no data written (a read would still take 2 MB).
      writeFileSync(big, '');
      truncateSync(big, 2 << 20);
      await expect(readCaFile(big)).rejects.toMatchObject({
        code: 'BadArguments',
        message: `${big} is ${2 << 20} bytes: a CA file is at most 1 MB`,
      });
      await expect(readCaFile('/dev/zero')).rejects.toMatchObject({
        code: 'BadArguments',
        message: '/dev/zero is not a file',
      });
      await expect(readCaFile(path.join(dir, 'none.pem'))).rejects.toMatchObject({
        code: 'BadArguments',
        message: expect.stringContaining('ENOENT'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
