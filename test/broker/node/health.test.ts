import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { connectPeer, subscribe } from '../../helpers/session.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

async function health(port: number): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  return (await res.json()) as Record<string, unknown>;
}

describe('/health', () => {
  it('reports the subscription total: local subscribers summed over topics, gone with their session', async () => {
    n = await startNode({ name: 'counted' });
    expect(await health(n.port)).toMatchObject({ name: 'counted', sessions: 0, subscriptions: 0 });

    const a = await connectPeer(n.port, 'raw');
    const b = await connectPeer(n.port, 'ws');
    await subscribe(a.peer, '/t/one');
    await subscribe(a.peer, '/t/two');
    await subscribe(a.peer, '/t/two'); // a repeated Subscribe counts once
    await subscribe(b.peer, '/t/one');
    expect(await health(n.port)).toMatchObject({ sessions: 2, topics: 2, subscriptions: 3 });

    a.peer.end();
    await a.peer.waitClosed();
    await b.peer.sync();
    expect(await health(n.port)).toMatchObject({ sessions: 1, subscriptions: 1 });
  });
});
