import { describe, expect, it } from 'vitest';
import { connectSources, contentSecurityPolicy } from '../../electron/host/csp.js';

describe('contentSecurityPolicy', () => {
  it('lists each node origin in its http and ws forms (https → wss), once', () => {
    expect(connectSources('http://127.0.0.1:8080')).toEqual(['http://127.0.0.1:8080', 'ws://127.0.0.1:8080']);
    expect(connectSources('https://node.example:8443/smq.lsp')).toEqual([
      'https://node.example:8443',
      'wss://node.example:8443',
    ]);
    const csp = contentSecurityPolicy('http://127.0.0.1:9000', ['http://127.0.0.1:1', 'http://127.0.0.1:1']);
    expect(csp).toContain(
      "connect-src 'self' http://127.0.0.1:9000 ws://127.0.0.1:9000 http://127.0.0.1:1 ws://127.0.0.1:1;",
    );
  });

  it('drops anything that could widen the policy instead of naming one origin', () => {
    for (const bad of [
      '*',
      'http://*',
      "http://a.example 'unsafe-eval'",
      'ws://127.0.0.1:1',
      'data:',
      'javascript:1',
      'http://u:p@h.example',
      '',
    ]) {
      expect(connectSources(bad), bad).toEqual([]);
    }
    const csp = contentSecurityPolicy('http://127.0.0.1:9000', ['*', "x 'unsafe-inline'"]);
    expect(csp).not.toMatch(/\*|unsafe/);
  });
});
