import { MAX_PAYLOAD, PacketType, PUBLISH_HEADER_SIZE, SERVER_ETID } from '../protocol/constants.js';
import { apiError } from '../protocol/errors.js';
import { encodePublish } from '../protocol/publish.js';
import type { Bytes } from '../protocol/bytes.js';
import { asBuffer, toBuffer } from './buffers.js';
import type { Subscriber } from './Subscriber.js';
import type { SmqNode } from './SmqNode.js';

export interface ServerMessage {
  payload: Buffer;
  /** The TID it was published to, or SERVER_ETID for a one-to-one message. */
  dest: number;
  ptid: number;
  subtid: number;
}
export type ServerMessageHandler = (msg: ServerMessage) => void;

/**
 * The node's own client at ETID 1: publish and subscribe from inside the node, like the
 * server-side SMQ client of Real Time Logic's broker.
 */
export class ServerClient implements Subscriber {
  readonly etid = SERVER_ETID;
  private readonly handlers = new Map<number, ServerMessageHandler>();
  /** Receives messages published to ETID 1. */
  onmsg: ServerMessageHandler | undefined;

  constructor(private readonly node: SmqNode) {}

  deliver(packet: Buffer): boolean {
    const dest = packet.readUInt32BE(1);
    const handler = this.node.isServerEtid(dest) ? this.onmsg : this.handlers.get(dest);
    handler?.({
      payload: packet.subarray(PUBLISH_HEADER_SIZE),
      dest,
      ptid: packet.readUInt32BE(5),
      subtid: packet.readUInt32BE(9),
    });
    return true;
  }

  /** TID of `name`, created if new (at `tid` when given). */
  create(name: Bytes, tid?: number): number {
    return this.node.createTopic(name, tid);
  }

  createsub(name: Bytes): number {
    const id = this.node.subtopics.ensure(toBuffer(name));
    if (id === undefined) throw apiError('SMQ_ERR_IDS_EXHAUSTED', 'sub-topic ids exhausted');
    return id;
  }

  subscribe(name: Bytes, handler: ServerMessageHandler): number {
    const tid = this.create(name);
    this.handlers.set(tid, handler);
    this.node.subscribe(this, tid);
    return tid;
  }

  unsubscribe(name: Bytes): void {
    const tid = this.node.topics.names.idOf(toBuffer(name));
    if (tid === undefined) return;
    this.handlers.delete(tid);
    this.node.unsubscribe(this, tid);
  }

  /**
   * Publishes to a topic (name or TID) or to a client's ETID, with an optional sub-topic. A payload
   * over 0xFFF0 bytes could not be framed for raw-TCP receivers: SmqApiError, nothing routed.
   */
  publish(payload: Bytes, dest: Bytes | number, subtopic: Bytes | number = 0): void {
    const body = toBuffer(payload);
    if (body.length > MAX_PAYLOAD)
      throw apiError('SMQ_ERR_PAYLOAD_TOO_LARGE', `payload of ${body.length} bytes; at most ${MAX_PAYLOAD}`);
    const to = typeof dest === 'number' ? dest : this.create(dest);
    const subtid = typeof subtopic === 'number' ? subtopic : this.createsub(subtopic);
    this.node.route(undefined, asBuffer(encodePublish(to, SERVER_ETID, subtid, body, PacketType.Publish)));
  }
}
