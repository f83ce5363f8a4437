import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { connectPeer, subscribe } from '../../helpers/session.js';
import { MAX_PAYLOAD, PacketType, PUBLISH_HEADER_SIZE } from '../../../broker/src/protocol/constants.js';
import { SmqApiError } from '../../../broker/src/protocol/errors.js';
import { SmqNode } from '../../../broker/src/node/SmqNode.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

/** The error `fn` throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('server client (ETID 1) publish', () => {
  it('throws SmqApiError SMQ_ERR_PAYLOAD_TOO_LARGE over 0xFFF0 payload bytes, before routing: raw-TCP receivers stay connected', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, 'raw');
    const tid = await subscribe(c.peer, '/t');
    for (const payload of [Buffer.alloc(MAX_PAYLOAD + 1), 'é'.repeat(MAX_PAYLOAD / 2 + 1)]) {
      const err = thrown(() => n!.node.server.publish(payload, '/t'));
      expect(err).toBeInstanceOf(SmqApiError);
      expect(err).toMatchObject({ code: 'SMQ_ERR_PAYLOAD_TOO_LARGE' });
    }
    expect(n.node.stats().publishes).toBe(0);
    n.node.server.publish(Buffer.alloc(MAX_PAYLOAD, 0x61), tid);
    expect((await c.peer.next(PacketType.Publish)).length).toBe(PUBLISH_HEADER_SIZE + MAX_PAYLOAD);
    expect(await c.peer.sync()).toEqual([]);
    expect(n.node.stats().closes.FrameTooLarge).toBe(0);
  });
});

describe('node API errors', () => {
  it.each<[string, () => unknown, string]>([
    ['a fixed TID below the TID range', () => new SmqNode({ topics: { '/a': 1 } }), 'SMQ_ERR_TID_RANGE'],
    ['a fixed TID in the ETID range', () => new SmqNode().createTopic('/a', 0x100000), 'SMQ_ERR_TID_RANGE'],
    ['a fixed TID already taken', () => new SmqNode({ topics: { '/a': 2, '/b': 2 } }), 'SMQ_ERR_TID_TAKEN'],
    [
      'a name that already has another TID',
      () => new SmqNode({ topics: { '/a': 2 } }).createTopic('/a', 3),
      'SMQ_ERR_NAME_TAKEN',
    ],
  ])('throws SmqApiError for %s, with a stable code', (_what, fn, code) => {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(SmqApiError);
    expect(err).toMatchObject({ code, name: 'SmqApiError' });
  });

  it('accepts the same name at the same fixed TID again', () => {
    const node = new SmqNode({ topics: { '/a': 2 } });
    expect(node.createTopic('/a', 2)).toBe(2);
  });
});
