import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { client, connected, holds, inbox, track } from '../client/clients.js';
import { getJson, getText, loopbackPair, type PemPair } from './tlsHelpers.js';

describe('a node with a TLS certificate', () => {
  let pair: PemPair;
  let stranger: PemPair;

  beforeAll(async () => {
    pair = await loopbackPair();
    stranger = await loopbackPair();
  });

  it('serves https:// raw TCP and wss:// on one port, each verified with the CA file', async () => {
    const n = track(await startNode({}, { tls: pair }));
    const raw = await connected(`https://127.0.0.1:${n.port}/smq.lsp`, { ca: pair.cert });
    const ws = await connected(`wss://127.0.0.1:${n.port}/smq.lsp`, { ca: pair.cert });
    const got = inbox<string>();
    await raw.subscribe('self', { datatype: 'text', onmsg: got.push });
    ws.publish('over TLS', raw.gettid());
    await waitFor(() => got.got.length === 1);
    expect(got.got).toEqual(['over TLS']);
    expect(
      n.node
        .sessions()
        .map((s) => s.transport)
        .sort(),
    ).toEqual(['raw', 'ws']);
  });

  it('says in /health whether TLS is on', async () => {
    const secure = track(await startNode({}, { tls: pair }));
    const plain = track(await startNode());
    const h = await getJson<{ tls: boolean }>(`https://127.0.0.1:${secure.port}/health`, pair.cert);
    expect(h.tls).toBe(true);
    const p = (await (await fetch(`http://127.0.0.1:${plain.port}/health`)).json()) as { tls: boolean };
    expect(p.tls).toBe(false);
  });

  it('says on its status page (the page served when the LED page is not built) that TLS is on', async () => {
    const noPage = mkdtempSync(join(tmpdir(), 'smq-no-page-'));
    try {
      const n = track(await startNode({}, { tls: pair, pageDir: noPage }));
      const html = await getText(`https://127.0.0.1:${n.port}/`, pair.cert);
      expect(html).toContain('<tr><td>TLS</td><td>on</td></tr>');
      expect(html).toContain('wss://');
    } finally {
      rmSync(noPage, { recursive: true, force: true });
    }
  });

  it.each(['https', 'wss'])(
    'refuses a %s client whose CA does not match, naming the certificate error',
    async (scheme) => {
      const n = track(await startNode({}, { tls: pair }));
      const c = client(`${scheme}://127.0.0.1:${n.port}/smq.lsp`, { ca: stranger.cert });
      const errors = inbox<string>();
      c.onconnecterror = (_url, reason) => errors.push(reason);
      await waitFor(() => errors.got.length >= 1, { what: 'a connect error' });
      expect(errors.got[0]).toBe(
        'TLS certificate refused: DEPTH_ZERO_SELF_SIGNED_CERT (self-signed certificate)',
      );
      expect(c.connected).toBe(false);
      expect(n.node.sessions()).toEqual([]);
    },
  );

  it('gives a plain http:// client on a TLS port no session', async () => {
    const n = track(await startNode({}, { tls: pair }));
    const c = client(`http://127.0.0.1:${n.port}/smq.lsp`);
    const errors = inbox<string>();
    c.onconnecterror = (_url, reason) => errors.push(reason);
    await waitFor(() => errors.got.length >= 1, { what: 'a connect error' });
    await holds(() => !c.connected && n.node.sessions().length === 0);
  });
});
