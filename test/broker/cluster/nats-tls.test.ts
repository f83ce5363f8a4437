import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startMember, type ClusterMember } from '../../helpers/startCluster.js';
import { startNatsServer, type NatsServer } from '../../helpers/natsServer.js';
import { NATS_TEST_TIMING, waitForCluster } from '../../helpers/clusterFixture.js';
import { waitFor } from '../../helpers/waitFor.js';
import { loopbackPair } from '../tls/tlsHelpers.js';

let members: ClusterMember[] = [];
let server: NatsServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'smq-nats-tls-'));
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
  await server?.stop();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NATS over TLS', () => {
  it('joins with the CA file that verifies the server, and is kept out (reason shown) without it', async () => {
    const pair = await loopbackPair();
    server = await startNatsServer({ tls: pair });
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pair.cert);
    const nats = { servers: [server.url], timing: NATS_TEST_TIMING, caFile };
    members.push(await startMember('a', { nats }), await startMember('b', { nats }));
    await waitForCluster(members);
    const untrusting = await startMember('c', { nats: { ...nats, caFile: undefined } });
    members.push(untrusting);
    await waitFor(() => untrusting.cluster.natsInfo()?.lastError, { what: 'the refusal' });
    expect(untrusting.cluster.natsInfo()).toMatchObject({ state: 'connecting', server: undefined });
    expect(untrusting.cluster.natsInfo()!.lastError).toMatch(/certificate|tls/i);
    expect(members[0]!.cluster.peers().map((p) => p.name)).toEqual(['b']);
  });
});
