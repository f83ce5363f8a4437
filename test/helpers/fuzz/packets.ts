import { MAX_PAYLOAD, PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';
import { encodeNameRequest } from '../../../broker/src/protocol/names.js';
import { encodePublish } from '../../../broker/src/protocol/publish.js';
import { encodeIdPacket } from '../../../broker/src/protocol/ids.js';
import { asBuffer } from '../../../broker/src/node/buffers.js';
import type { Rng } from './rng.js';
import type { FuzzTransport } from './FuzzPeer.js';

/** Every client→broker packet the fuzzer starts from (valid before mutation). */
export const TEMPLATES = [
  'Subscribe',
  'Create',
  'Createsub',
  'Publish→topic',
  'Publish→etid',
  'Publish→self',
  'Publish(wrong publisher)',
  'PubFrag',
  'Unsubscribe',
  'Observe',
  'Unobserve',
  'Ping',
  'Pong',
  'Disconnect',
  'Connect(after handshake)',
  'random',
] as const;
export type Template = (typeof TEMPLATES)[number];

/** Largest raw packet (type byte first): a 0xFFFF frame minus its 2-byte length. */
export const MAX_RAW_PACKET = 0xffff - 2;
/** Largest WebSocket message the node takes: a Publish with the largest payload. */
export const MAX_WS_PACKET = 13 + MAX_PAYLOAD;

/** What a template needs to know about the connection and the node's ids. */
export interface GenContext {
  rng: Rng;
  transport: FuzzTransport;
  etid: number;
  topicNames: readonly string[];
  topicTids: readonly number[];
  subtids: readonly number[];
  otherEtid(): number | undefined;
  /** ids this connection subscribed to (from its acks). */
  subscribed: readonly number[];
}

export function randomName(ctx: GenContext): Buffer {
  const { rng } = ctx;
  const max = ctx.transport === 'raw' ? MAX_RAW_PACKET - 1 : MAX_WS_PACKET - 1;
  return rng.weighted<() => Buffer>([
    [70, () => Buffer.from(rng.pick(ctx.topicNames))],
    [20, () => rng.bytes(rng.int(0, 40))],
    [4, () => Buffer.alloc(rng.pick([511, 512, 513]), 0x6e)],
    // Near the frame limit: the ack (6 + name) must still fit a raw frame (0xFFFF).
    [1, () => Buffer.alloc(rng.pick([0xffff - 8, 0xffff - 7, max, rng.int(1000, max)]), 0x4e)],
  ])();
}

function payload(rng: Rng, transport: FuzzTransport): Buffer {
  return rng.weighted<() => Buffer>([
    [85, () => rng.bytes(rng.int(0, 48))],
    [13, () => rng.bytes(rng.int(49, 3000))],
    [2, () => rng.bytes(transport === 'ws' ? rng.pick([MAX_PAYLOAD, MAX_PAYLOAD + 1]) : MAX_PAYLOAD)],
  ])();
}

function subtid(ctx: GenContext): number {
  return ctx.rng.chance(0.5) || ctx.subtids.length === 0 ? 0 : ctx.rng.pick(ctx.subtids);
}

function someId(ctx: GenContext): number {
  const { rng } = ctx;
  return rng.weighted<() => number>([
    [40, () => rng.pick(ctx.topicTids)],
    [15, () => (ctx.subscribed.length > 0 ? rng.pick(ctx.subscribed) : rng.pick(ctx.topicTids))],
    [20, () => ctx.otherEtid() ?? ctx.etid],
    [10, () => ctx.etid],
    [5, () => 1],
    [10, () => rng.u32()],
  ])();
}

/** One valid packet (or a PubFrag sequence) for a template, as Buffers over the encoders' bytes. */
export function generate(t: Template, ctx: GenContext): Buffer[] {
  return generateBytes(t, ctx).map(asBuffer);
}

function generateBytes(t: Template, ctx: GenContext): Uint8Array[] {
  const { rng, etid } = ctx;
  switch (t) {
    case 'Subscribe':
      return [encodeNameRequest(PacketType.Subscribe, randomName(ctx))];
    case 'Create':
      return [encodeNameRequest(PacketType.Create, randomName(ctx))];
    case 'Createsub':
      return [encodeNameRequest(PacketType.Createsub, randomName(ctx))];
    case 'Publish→topic':
      return [encodePublish(rng.pick(ctx.topicTids), etid, subtid(ctx), payload(rng, ctx.transport))];
    case 'Publish→etid':
      return [encodePublish(ctx.otherEtid() ?? etid, etid, subtid(ctx), payload(rng, ctx.transport))];
    case 'Publish→self':
      return [encodePublish(etid, etid, subtid(ctx), payload(rng, ctx.transport))];
    case 'Publish(wrong publisher)': {
      const liar = rng.pick([0, 1, etid + 1, etid - 1, ctx.otherEtid() ?? 0, rng.u32()]);
      return [encodePublish(someId(ctx), liar === etid ? etid ^ 1 : liar, 0, rng.bytes(rng.int(0, 20)))];
    }
    case 'PubFrag': {
      const big = rng.chance(0.05);
      const whole = rng.bytes(big ? rng.int(MAX_PAYLOAD - 200, MAX_PAYLOAD + 200) : rng.int(0, 600));
      const size = big ? rng.int(2000, 8000) : rng.chance(0.8) ? 112 : rng.int(1, 400);
      const dest = rng.chance(0.7) ? rng.pick(ctx.topicTids) : (ctx.otherEtid() ?? etid);
      const st = subtid(ctx);
      const out: Uint8Array[] = [];
      for (let o = 0; o === 0 || o < whole.length; o += size) {
        const last = o + size >= whole.length;
        const chunk = whole.subarray(o, o + size);
        out.push(encodePublish(last ? dest : 0, etid, st, chunk, PacketType.PubFrag));
      }
      return out;
    }
    case 'Unsubscribe':
      return [encodeIdPacket(PacketType.Unsubscribe, someId(ctx))];
    case 'Observe':
      return [encodeIdPacket(PacketType.Observe, someId(ctx))];
    case 'Unobserve':
      return [encodeIdPacket(PacketType.Unobserve, someId(ctx))];
    case 'Ping':
      return [Buffer.of(PacketType.Ping)];
    case 'Pong':
      return [Buffer.of(PacketType.Pong)];
    case 'Disconnect':
      return [Buffer.concat([Buffer.of(PacketType.Disconnect), rng.bytes(rng.int(0, 1) * rng.int(0, 30))])];
    case 'Connect(after handshake)':
      return [encodeConnect({ version: rng.pick([1, 2] as const), uid: rng.bytes(6), info: 'again' })];
    case 'random':
      return [rng.bytes(rng.int(1, 64))];
  }
}

/** A valid client→broker type byte, for type swaps that stay plausible. */
const CLIENT_TYPES = [2, 4, 6, 8, 9, 11, 12, 13, 14, 15, 17, 19];

/** Mutates a packet's bytes; returns the new packet and the mutation's name. */
export function mutate(p: Buffer, ctx: GenContext): { bytes: Buffer; mutation: string } {
  const { rng } = ctx;
  const kind = rng.weighted<string>([
    [20, 'bitflip'],
    [15, 'byte'],
    [10, 'truncate'],
    [8, 'extend'],
    [5, 'type'],
    [p.length >= 5 ? 16 : 0, 'field'],
    [2, 'huge'],
  ]);
  const b = Buffer.from(p);
  switch (kind) {
    case 'bitflip':
      for (let i = rng.int(1, 3); i > 0; i--) b[rng.int(0, b.length - 1)]! ^= 1 << rng.int(0, 7);
      return { bytes: b, mutation: kind };
    case 'byte':
      for (let i = rng.int(1, 3); i > 0; i--) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
      return { bytes: b, mutation: kind };
    case 'truncate':
      return {
        bytes: b.subarray(0, rng.int(ctx.transport === 'ws' ? 0 : 1, Math.max(0, b.length - 1))),
        mutation: kind,
      };
    case 'extend':
      return { bytes: Buffer.concat([b, rng.bytes(rng.int(1, 16))]), mutation: kind };
    case 'type':
      b[0] = rng.chance(0.5) ? rng.pick(CLIENT_TYPES) : rng.int(0, 255);
      return { bytes: b, mutation: kind };
    case 'field': {
      const at = 1 + 4 * rng.int(0, Math.min(2, Math.floor((b.length - 1) / 4) - 1));
      const v = rng.pick([
        0,
        1,
        0xffffffff,
        ctx.etid,
        ctx.etid + 1,
        ctx.etid - 1,
        rng.pick(ctx.topicTids),
        rng.u32(),
      ]);
      b.writeUInt32BE(v >>> 0, at);
      return { bytes: b, mutation: kind };
    }
    default: {
      // Grow the body to (or just past) the largest packet this transport carries.
      const max = ctx.transport === 'raw' ? MAX_RAW_PACKET : MAX_WS_PACKET;
      const size = rng.pick([max - 1, max, ctx.transport === 'ws' ? max + 1 : max]);
      const out = Buffer.alloc(Math.max(size, b.length), 0x5a);
      b.copy(out);
      return { bytes: out, mutation: kind };
    }
  }
}
