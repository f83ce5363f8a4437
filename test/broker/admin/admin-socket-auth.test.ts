import { afterEach, describe, expect, it } from 'vitest';
import { AdminEndpoint } from '../../../broker/src/admin/AdminEndpoint.js';
import { WebSocket } from 'ws';
import { ADMIN_WIRE_VERSION, ADMIN_WS_PATH } from '../../../broker/src/admin/adminWire.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { AdminWs, TOKEN } from './adminClient.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

describe('the admin WebSocket: who may open it', () => {
  it('answers an upgrade without the token, or with a wrong one, with HTTP 401 and no socket', async () => {
    n = await startNode({ name: 'guarded' });
    new AdminEndpoint(n.node, n.server, TOKEN);
    expect(await AdminWs.upgradeStatus(n.port, {})).toBe(401);
    expect(await AdminWs.upgradeStatus(n.port, { authorization: `Bearer ${TOKEN.replace('a', 'b')}` })).toBe(
      401,
    );
    expect(await AdminWs.upgradeStatus(n.port, { authorization: `Bearer ${TOKEN}x` })).toBe(401);
    expect(await AdminWs.upgradeStatus(n.port, { authorization: TOKEN })).toBe(401);
    expect(n.node.listenerCount('tap')).toBe(0);
    expect(await AdminWs.upgradeStatus(n.port, { authorization: `Bearer ${TOKEN}` })).toBe(101);
  });

  it('does not exist on a node without an admin token: the path is then just another SMQ WebSocket', async () => {
    n = await startNode({ name: 'plain' });
    const ws = new WebSocket(`ws://127.0.0.1:${n.port}${ADMIN_WS_PATH}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const [data, isBinary] = await new Promise<[Buffer, boolean]>((resolve, reject) => {
      ws.once('message', (d: Buffer, b: boolean) => resolve([d, b]));
      ws.once('error', reject);
    });
    expect(isBinary).toBe(true);
    expect(data[0]).toBe(PacketType.Init);
    ws.terminate();
  });

  it('greets with the node name and wire version, and answers requests by id', async () => {
    n = await startNode({ name: 'greeter' });
    new AdminEndpoint(n.node, n.server, TOKEN);
    const admin = await AdminWs.open(n.port);
    expect(admin.frames[0]).toMatchObject({ t: 'hello', node: 'greeter', version: ADMIN_WIRE_VERSION });
    admin.send({ op: 'clients', id: 7 });
    expect(await admin.next('clients', (f) => f.id === 7)).toMatchObject({ clients: [] });
    admin.ws.send('{"op":"nope","id":3}');
    expect(await admin.next('error')).toMatchObject({
      id: 3,
      message: expect.stringContaining('unknown op'),
    });
    admin.ws.send('not json');
    await admin.next('error', (f) => f.message === 'not JSON');
    admin.close();
  });
});
