import { afterEach, describe, expect, it } from 'vitest';
import { startMember, waitForMesh, type ClusterMember } from '../../helpers/startCluster.js';
import { connectPeer, publish, published } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { EtidAllocator } from '../../../broker/src/node/EtidAllocator.js';

let members: ClusterMember[] = [];
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

/** Moves an allocator to the last counter value of its prefix (2^20 sessions would take minutes). */
function nearlyExhausted(a: EtidAllocator): void {
  (a as unknown as { counter: number }).counter = 2 ** 20 - 1;
}

describe('an ETID counter that runs out', () => {
  it('moves to a prefix that neither this node nor the avoided ones used, and keeps issuing', () => {
    const a = new EtidAllocator(10);
    a.avoid = () =>
      new Set(Array.from({ length: 4094 }, (_, i) => i + 1).filter((p) => p !== 10 && p !== 4095));
    nearlyExhausted(a);
    const etid = a.next();
    expect(Math.floor(etid / 2 ** 20)).toBe(4095);
    expect([...a.prefixes]).toEqual([10, 4095]);
    expect(a.serverEtid).toBe(10 * 2 ** 20);
  });

  it('tells the cluster, whose nodes then route to ETIDs under the new prefix', async () => {
    const a = await startMember('a', {}, { etidPrefix: 300 });
    const b = await startMember('b', { peers: [a.url] }, { etidPrefix: 301 });
    members = [a, b];
    await waitForMesh(members);
    nearlyExhausted(b.node.etids);
    const late = await connectPeer(b.port, 'raw');
    const prefix = Math.floor(late.etid / 2 ** 20);
    expect(prefix).not.toBe(301);
    expect(prefix).not.toBe(300);
    await waitFor(() => a.cluster.mesh!.peerPrefixes().has(prefix), {
      what: 'the new prefix announced to a',
    });
    const sender = await connectPeer(a.port, 'ws');
    await waitFor(() => a.node.isLiveEtid(late.etid));
    publish(sender, late.etid, 'to the new prefix');
    expect(published(await late.peer.next(PacketType.Publish)).payload).toBe('to the new prefix');
  });
});
