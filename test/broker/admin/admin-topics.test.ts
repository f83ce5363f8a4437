import { afterEach, describe, expect, it } from 'vitest';
import { AdminEndpoint } from '../../../broker/src/admin/AdminEndpoint.js';
import type { AdminTopic } from '../../../broker/src/admin/adminWire.js';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { connectPeer, create, createsub, publish, subscribe } from '../../helpers/session.js';
import { AdminWs, TOKEN } from './adminClient.js';
import { COARSE_MS } from '../../../broker/src/node/coarseClock.js';

let n: RunningNode | undefined;
const admins: AdminWs[] = [];
afterEach(async () => {
  for (const a of admins.splice(0)) a.close();
  await n?.close();
  n = undefined;
});

describe('the admin topics listing', () => {
  it('lists every topic with subscribers, traffic since start, a recent payload and its sub-topics, over WebSocket and HTTP', async () => {
    n = await startNode({ name: 'topical', topics: { '/m2m/led/device': 2, '/idle': 3 } });
    new AdminEndpoint(n.node, n.server, TOKEN);
    const s1 = await connectPeer(n.port, 'ws');
    const s2 = await connectPeer(n.port, 'raw');
    const pub = await connectPeer(n.port, 'raw');
    await subscribe(s1.peer, '/m2m/led/device');
    await subscribe(s2.peer, '/m2m/led/device');
    const info = await createsub(pub.peer, 'devinfo');
    const set = await createsub(pub.peer, 'set');
    const last = Buffer.from(Array.from({ length: 100 }, (_, i) => 255 - i));
    publish(pub, 2, 'hello', info);
    publish(pub, 2, 'on', set);
    // The preview is sampled once per coarse tick: the last payload shows after the next tick.
    await pub.peer.sync();
    await new Promise((r) => setTimeout(r, COARSE_MS * 2));
    publish(pub, 2, last, info);
    await pub.peer.sync();

    const expected: AdminTopic[] = [
      {
        name: '/m2m/led/device',
        tid: 2,
        subscribers: 2,
        msgs: 3,
        bytes: 5 + 2 + 100,
        peerMsgs: 0,
        peerBytes: 0,
        last: {
          size: 100,
          head: last.subarray(0, 64).toString('base64'),
          truncated: true,
        },
        subtopics: ['devinfo', 'set'],
        subtopicsUnlisted: 0,
      },
      {
        name: '/idle',
        tid: 3,
        subscribers: 0,
        msgs: 0,
        bytes: 0,
        peerMsgs: 0,
        peerBytes: 0,
        subtopics: [],
        subtopicsUnlisted: 0,
      },
    ];
    const admin = await AdminWs.open(n.port);
    admins.push(admin);
    admin.send({ op: 'topics', id: 'q1' });
    const byName = (ts: AdminTopic[]): AdminTopic[] => [...ts].sort((a, b) => a.tid - b.tid);
    expect(byName((await admin.next('topics', (f) => f.id === 'q1')).topics)).toEqual(expected);

    const res = await fetch(`http://127.0.0.1:${n.port}/admin/topics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(byName(((await res.json()) as { topics: AdminTopic[] }).topics)).toEqual(expected);
    expect((await fetch(`http://127.0.0.1:${n.port}/admin/topics`)).status).toBe(401);
  });

  it('counts a topic’s publishes whose sub-topic did not fit its list of 32', async () => {
    n = await startNode();
    new AdminEndpoint(n.node, n.server, TOKEN);
    const pub = await connectPeer(n.port, 'raw');
    const tid = await create(pub.peer, 'many');
    const subtids: number[] = [];
    for (let i = 0; i < 34; i++) subtids.push(await createsub(pub.peer, `s${i}`));
    for (const subtid of [...subtids, ...subtids]) publish(pub, tid, 'x', subtid);
    await pub.peer.sync();
    const res = await fetch(`http://127.0.0.1:${n.port}/admin/topics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const [t] = ((await res.json()) as { topics: AdminTopic[] }).topics;
    expect(t).toMatchObject({ msgs: 68, subtopicsUnlisted: 4 });
    expect(t!.subtopics).toHaveLength(32);
  });
});
