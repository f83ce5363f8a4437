import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type ClusterOptions } from '../../../broker/src/cluster/index.js';
import { LinkCloseReason } from '../../../broker/src/cluster/LinkCloseReason.js';
import type { Logger } from '../../../broker/src/node/options.js';
import { startNode } from '../../helpers/startNode.js';
import { TEST_TIMING } from '../../helpers/startCluster.js';
import { waitFor } from '../../helpers/waitFor.js';
import { connected, holds, inbox } from '../client/clients.js';
import { getJson, loopbackPair, type PemPair } from './tlsHelpers.js';

interface TlsMember {
  cluster: Cluster;
  port: number;
  close(): Promise<void>;
}

const members: TlsMember[] = [];

afterEach(async () => {
  for (const m of members.splice(0)) await m.close();
});

/** A clustered node whose port speaks TLS with `pair`. */
async function startTlsMember(
  name: string,
  pair: PemPair,
  cluster: Partial<ClusterOptions>,
): Promise<TlsMember> {
  const n = await startNode({ name }, { tls: pair });
  const c = new Cluster(n.node, n.server, {
    secret: 'test-secret-of-16+',
    timing: TEST_TIMING,
    backoffBaseMs: 50,
    backoffMaxMs: 400,
    ...cluster,
  });
  const m = {
    cluster: c,
    port: n.port,
    close: async () => {
      c.close();
      await n.close();
    },
  };
  members.push(m);
  return m;
}

function upLinks(m: TlsMember): number {
  return m.cluster.links().filter((l) => l.state === 'up').length;
}

describe('cluster links between TLS nodes', () => {
  let pair: PemPair;
  let stranger: PemPair;

  beforeAll(async () => {
    pair = await loopbackPair();
    stranger = await loopbackPair();
  });

  it('advertises wss:// and links over it, carrying a publish across (and not when unlinked)', async () => {
    for (const linked of [true, false]) {
      const a = await startTlsMember('a', pair, { ca: pair.cert });
      const b = await startTlsMember('b', pair, {
        ca: pair.cert,
        peers: linked ? [`wss://127.0.0.1:${a.port}`] : [],
      });
      expect(a.cluster.mesh!.identity().url).toBe(`wss://127.0.0.1:${a.port}`);
      if (linked) await waitFor(() => upLinks(a) === 1 && upLinks(b) === 1, { what: 'the wss link up' });
      const sub = await connected(`https://127.0.0.1:${a.port}/smq.lsp`, { ca: pair.cert });
      const pub = await connected(`wss://127.0.0.1:${b.port}/smq.lsp`, { ca: pair.cert });
      const got = inbox<string>();
      await sub.subscribe('/tls/cross', { datatype: 'text', onmsg: got.push });
      if (linked) {
        await waitFor(() => b.cluster.router.peerSnapshots().some((p) => p.topicsOfInterest > 0), {
          what: "a's interest on b",
        });
        pub.publish('across', '/tls/cross');
        await waitFor(() => got.got.length === 1, { what: 'the publish across the link' });
        expect(got.got).toEqual(['across']);
      } else {
        pub.publish('across', '/tls/cross');
        await holds(() => got.got.length === 0, 500, 'no delivery without a link');
      }
      sub.disconnect();
      pub.disconnect();
      for (const m of members.splice(0)) await m.close();
    }
  });

  it.each([
    ['a CA that did not sign the peer', true],
    ['no CA file (the system roots)', false],
  ])('refuses the link with TlsVerifyFailed given %s', async (_what, giveCa) => {
    const logged: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const log: Logger = (_level, message, fields) => logged.push({ message, fields });
    const a = await startTlsMember('a', pair, { ca: pair.cert });
    const b = await startTlsMember('b', pair, {
      ...(giveCa ? { ca: stranger.cert } : {}),
      peers: [`wss://127.0.0.1:${a.port}`],
      log,
    });
    const failure = await waitFor(() => b.cluster.mesh!.wanted()[0]?.lastFailure, { what: 'a failed dial' });
    expect(failure).toEqual({
      reason: LinkCloseReason.TlsVerifyFailed,
      detail: 'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate',
    });
    expect(logged).toContainEqual({
      message: 'cluster link failed',
      fields: { peer: `wss://127.0.0.1:${a.port}`, reason: 'TlsVerifyFailed', detail: failure.detail },
    });
    const health = await getJson<{ cluster: { dials: { lastFailure: unknown }[] } }>(
      `https://127.0.0.1:${b.port}/health`,
      pair.cert,
    );
    expect(health.cluster.dials[0]!.lastFailure).toEqual(failure);
    expect(upLinks(a) + upLinks(b)).toBe(0);
  });
});
