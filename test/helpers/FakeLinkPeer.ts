import { WebSocket } from 'ws';
import { LINK_PATH } from '../../broker/src/cluster/index.js';
import {
  LinkMsg,
  decodeBatch,
  decodeJson,
  encodeJson,
  type AuthBody,
  type Identity,
} from '../../broker/src/cluster/linkCodec.js';
import { newNonce, proofOf } from '../../broker/src/cluster/linkAuth.js';
import { waitFor } from './waitFor.js';

/**
 * A cluster peer played by the test: it dials a node's link path, proves the secret, and then
 * sends and records raw link messages (linkSend / linkExpect), or stops reading to play a slow peer.
 * A Batch frame is recorded as its messages, in order; `frames` keeps every frame as it came.
 */
export class FakeLinkPeer {
  readonly received: Buffer[] = [];
  readonly frames: Buffer[] = [];
  readonly nodeId = `fake-${newNonce().slice(0, 8)}`;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (m: Buffer) => {
      const frame = Buffer.from(m);
      this.frames.push(frame);
      if (frame[0] === LinkMsg.Batch) {
        const msgs = decodeBatch(frame);
        if (!msgs) throw new Error(`malformed Batch from the node: ${frame.toString('hex')}`);
        this.received.push(...msgs);
      } else this.received.push(frame);
    });
  }

  static async connect(port: number, secret: string, prefixes = [4000]): Promise<FakeLinkPeer> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${LINK_PATH}`, { perMessageDeflate: false });
    const peer = new FakeLinkPeer(ws);
    await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const hello = decodeJson<Identity>(await peer.linkExpect(LinkMsg.Hello))!;
    const me: Identity = {
      nodeId: peer.nodeId,
      name: 'fake',
      url: 'ws://127.0.0.1:1',
      nonce: newNonce(),
      prefixes,
    };
    const challenge = {
      acceptorNonce: hello.nonce,
      solicitorNonce: me.nonce,
      acceptorId: hello.nodeId,
      solicitorId: me.nodeId,
    };
    peer.linkSend(
      encodeJson(LinkMsg.Auth, { ...me, proof: proofOf(secret, 'solicitor', challenge) } satisfies AuthBody),
    );
    await peer.linkExpect(LinkMsg.Welcome);
    return peer;
  }

  linkSend(msg: Buffer): void {
    this.ws.send(msg);
  }

  /** The first received message of `type` not taken yet (removed from `received`). */
  async linkExpect(type: number, timeout = 5000): Promise<Buffer> {
    return waitFor(
      () => {
        const i = this.received.findIndex((m) => m[0] === type);
        return i < 0 ? undefined : this.received.splice(i, 1)[0];
      },
      { timeout, what: `link message ${type}` },
    );
  }

  /** Stops reading: the node's writes pile up in its socket and then its send queue. */
  stopReading(): void {
    (this.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
  }

  close(): void {
    this.ws.terminate();
  }
}
