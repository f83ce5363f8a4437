/**
 * Raw-TCP framing: a u16 total length counting its own two bytes (below 3 is invalid), then the packet.
 * Streams below are hand-written hex; the decoder must yield the same packets however TCP splits them.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_FRAME,
  MAX_PAYLOAD,
  PacketType,
  RawFrameDecoder,
  SmqProtocolError,
  decodePacket,
  frame,
  frameToBuffer,
} from '../../../broker/src/protocol/index.js';
import { hex, toHex } from '../../helpers/hex.js';

/** Each frame as [u16 length, packet], both written by hand. */
const FRAMES: ReadonlyArray<readonly [string, string]> = [
  // 17 = 2 + 15 | Init: type | version | seed | ip "127.0.0.1"
  ['00 11', '01 | 01 | 01 02 03 04 | 31 32 37 2e 30 2e 30 2e 31'],
  // 3 = 2 + 1 | Ping
  ['00 03', '0c'],
  // 20 = 2 + 18 | Publish: type | dest 2 | publisher 0x12a | subtid 0 | "Hello"
  ['00 14', '08 | 00 00 00 02 | 00 00 01 2a | 00 00 00 00 | 48 65 6c 6c 6f'],
  // 11 = 2 + 9 | Change: type | tid 2 | count 3
  ['00 0b', '10 | 00 00 00 02 | 00 00 00 03'],
  // 3 = 2 + 1 | empty Disconnect
  ['00 03', '0b'],
  // 10 = 2 + 8 | Suback: type | status 0 | tid 5 | name "/x"
  ['00 0a', '05 | 00 | 00 00 00 05 | 2f 78'],
];
const STREAM = hex(FRAMES.map(([len, packet]) => `${len} | ${packet}`).join(' | '));
const PACKETS_HEX = FRAMES.map(([, packet]) => hex(packet).toString('hex'));

interface Run {
  packets: string[];
  errors: SmqProtocolError[];
}

/** Pushes the chunks in order into one decoder; collects delivered packets (as hex) and returned errors. */
function run(chunks: Uint8Array[], onPacket?: (p: Uint8Array, d: RawFrameDecoder) => void): Run {
  const packets: string[] = [];
  const errors: SmqProtocolError[] = [];
  const decoder: RawFrameDecoder = new RawFrameDecoder((p) => {
    packets.push(toHex(p));
    onPacket?.(p, decoder);
  });
  for (const c of chunks) {
    const err = decoder.push(c);
    if (err) errors.push(err);
  }
  return { packets, errors };
}

function oneByteAtATime(b: Buffer): Buffer[] {
  return Array.from({ length: b.length }, (_, i) => b.subarray(i, i + 1));
}

describe('RawFrameDecoder across TCP segment boundaries', () => {
  it('has a hand-written test stream of 6 frames and 64 bytes', () => {
    expect(STREAM).toHaveLength(64);
    expect(PACKETS_HEX).toHaveLength(6);
  });

  it('decodes the stream pushed in one write', () => {
    expect(run([STREAM])).toEqual({ packets: PACKETS_HEX, errors: [] });
  });

  it('decodes the same packets when the stream is split in two at every byte boundary', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      const r = run([STREAM.subarray(0, i), STREAM.subarray(i)]);
      expect(r, `split at ${i}`).toEqual({ packets: PACKETS_HEX, errors: [] });
    }
  });

  it('decodes the same packets when the stream is split in three at every pair of byte boundaries', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      for (let j = i; j <= STREAM.length; j++) {
        const r = run([STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)]);
        expect(r, `split at ${i} and ${j}`).toEqual({ packets: PACKETS_HEX, errors: [] });
      }
    }
  });

  it('decodes the same packets when the stream is fed one byte at a time', () => {
    expect(run(oneByteAtATime(STREAM))).toEqual({ packets: PACKETS_HEX, errors: [] });
  });

  it('ignores empty chunks anywhere in the stream', () => {
    const chunks = oneByteAtATime(STREAM).flatMap((b) => [Buffer.alloc(0), b, Buffer.alloc(0)]);
    expect(run(chunks)).toEqual({ packets: PACKETS_HEX, errors: [] });
  });

  it('delivers a packet only once its last byte has arrived', () => {
    const seen: string[] = [];
    const decoder = new RawFrameDecoder((p) => seen.push(toHex(p)));
    const publish = hex(`${FRAMES[2]![0]} | ${FRAMES[2]![1]}`);
    decoder.push(publish.subarray(0, publish.length - 1));
    expect(seen).toEqual([]);
    decoder.push(publish.subarray(publish.length - 1));
    expect(seen).toEqual([PACKETS_HEX[2]]);
  });

  it('reads the high byte of the length: a 258-byte frame split at every boundary', () => {
    // 258 = 0x0102 | Publish: type | dest 2 | publisher 0x12a | subtid 0 | 243 payload bytes "A"
    const header = hex('01 02 | 08 | 00 00 00 02 | 00 00 01 2a | 00 00 00 00');
    const stream = Buffer.concat([header, Buffer.alloc(243, 0x41), hex('00 03 | 0d')]);
    const expected = [stream.subarray(2, 258).toString('hex'), '0d'];
    for (let i = 0; i <= stream.length; i++) {
      const r = run([stream.subarray(0, i), stream.subarray(i)]);
      expect(r, `split at ${i}`).toEqual({ packets: expected, errors: [] });
    }
  });
});

describe('RawFrameDecoder views and copies', () => {
  it('returns views into the chunk, not copies, for packets that lie in one chunk', () => {
    const packets: Uint8Array[] = [];
    new RawFrameDecoder((p) => packets.push(p)).push(STREAM);
    expect(packets.map(toHex)).toEqual(PACKETS_HEX);
    for (const p of packets) expect(p.buffer).toBe(STREAM.buffer);
  });

  it('copies a packet that straddles chunks into a fresh plain Uint8Array by default', () => {
    const packets: Uint8Array[] = [];
    const decoder = new RawFrameDecoder((p) => packets.push(p));
    for (const c of oneByteAtATime(hex(`${FRAMES[2]![0]} | ${FRAMES[2]![1]}`))) decoder.push(c);
    expect(packets.map(toHex)).toEqual([PACKETS_HEX[2]]);
    expect(packets[0]!.buffer).not.toBe(STREAM.buffer);
    expect(Buffer.isBuffer(packets[0])).toBe(false);
  });

  it('hands out Buffers only, views or copies, when fed Buffers with a Buffer allocator (as the node does)', () => {
    for (const chunks of [[STREAM], oneByteAtATime(STREAM)]) {
      const packets: Buffer[] = [];
      const decoder = new RawFrameDecoder<Buffer>(
        (p) => packets.push(p),
        (size) => Buffer.allocUnsafe(size),
      );
      for (const c of chunks) decoder.push(c);
      expect(packets.map((p) => p.toString('hex'))).toEqual(PACKETS_HEX);
      expect(packets.every((p) => Buffer.isBuffer(p))).toBe(true);
    }
  });
});

describe('RawFrameDecoder refuses frame lengths below 3', () => {
  for (const len of ['00 00', '00 01', '00 02']) {
    it(`refuses frame length ${len} with SMQ_ERR_BAD_FRAME_LENGTH and stops decoding`, () => {
      const packets: Uint8Array[] = [];
      const decoder = new RawFrameDecoder((p) => packets.push(p));
      // bad length | bytes that would otherwise be a Ping frame, then a Pong frame
      const err = decoder.push(hex(`${len} | 00 03 0c | 00 03 0d`));
      expect(err).toBeInstanceOf(SmqProtocolError);
      expect(err?.code).toBe('SMQ_ERR_BAD_FRAME_LENGTH');
      expect(packets).toEqual([]);
      expect(decoder.push(hex('00 03 | 0c'))).toBeUndefined();
      expect(packets).toEqual([]);
    });
  }

  it('delivers the good frames before a bad length, then nothing after it', () => {
    // Ping frame | bad length 2 | Pong frame
    const r = run([hex('00 03 | 0c | 00 02 | 00 03 | 0d')]);
    expect(r.packets).toEqual(['0c']);
    expect(r.errors.map((e) => e.code)).toEqual(['SMQ_ERR_BAD_FRAME_LENGTH']);
  });

  it('refuses a bad length that arrives one byte at a time, once its second byte arrives', () => {
    const decoder = new RawFrameDecoder(() => undefined);
    expect(decoder.push(hex('00'))).toBeUndefined();
    expect(decoder.push(hex('01'))?.code).toBe('SMQ_ERR_BAD_FRAME_LENGTH');
  });
});

describe('RawFrameDecoder.stop()', () => {
  it('stops delivery in the middle of a push when called from the packet callback', () => {
    const r = run([STREAM], (_p, d) => d.stop());
    expect(r).toEqual({ packets: [PACKETS_HEX[0]], errors: [] });
  });

  it('stops delivery after the packet it was called on, with later frames already buffered', () => {
    const r = run([STREAM], (p, d) => {
      if (p[0] === PacketType.Publish) d.stop();
    });
    expect(r.packets).toEqual(PACKETS_HEX.slice(0, 3));
  });

  it('delivers nothing from later pushes once stopped', () => {
    const packets: Uint8Array[] = [];
    const decoder = new RawFrameDecoder((p) => packets.push(p));
    decoder.push(STREAM.subarray(0, 10));
    decoder.stop();
    expect(decoder.push(STREAM.subarray(10))).toBeUndefined();
    expect(decoder.push(hex('00 03 | 0c'))).toBeUndefined();
    expect(packets).toEqual([]);
  });
});

describe('frame() and frameToBuffer()', () => {
  it('prefixes a Ping with length 3 and hands back the packet itself, uncopied', () => {
    const ping = hex('0c');
    const [header, packet] = frame(ping);
    expect(toHex(header)).toBe(hex('00 03').toString('hex'));
    expect(packet).toBe(ping);
  });

  it('writes every test frame exactly as hand-written', () => {
    for (const [len, packet] of FRAMES) {
      expect(toHex(frameToBuffer(hex(packet)))).toBe(hex(`${len} | ${packet}`).toString('hex'));
    }
  });

  it('writes the length big-endian: 0x00ff for a 253-byte packet, 0x0100 for 254', () => {
    expect(toHex(frame(Buffer.alloc(253, 0x08))[0])).toBe(hex('00 ff').toString('hex'));
    expect(toHex(frame(Buffer.alloc(254, 0x08))[0])).toBe(hex('01 00').toString('hex'));
  });

  it('frames a 0xFFFD-byte packet with length ff ff (the largest frame)', () => {
    expect(toHex(frame(Buffer.alloc(0xfffd, 0x08))[0])).toBe(hex('ff ff').toString('hex'));
    expect(frameToBuffer(Buffer.alloc(0xfffd, 0x08))).toHaveLength(MAX_FRAME);
  });

  it('refuses to frame a packet of 0xFFFE bytes (its frame would need length 0x10000)', () => {
    expect(() => frame(Buffer.alloc(0xfffe, 0x08))).toThrow(RangeError);
    expect(() => frameToBuffer(Buffer.alloc(0xfffe, 0x08))).toThrow(RangeError);
    expect(() => frame(Buffer.alloc(0xffff, 0x08))).toThrow(RangeError);
  });

  it('refuses to frame an empty packet (its length 2 is invalid on the wire)', () => {
    expect(() => frame(Buffer.alloc(0))).toThrow(RangeError);
  });
});

describe('the largest frame', () => {
  // ff ff = 0xFFFF | Publish: type | dest 2 | publisher 0x12a | subtid 7 | then 0xFFF0 payload bytes
  const HEADER = hex('ff ff | 08 | 00 00 00 02 | 00 00 01 2a | 00 00 00 07');

  it('decodes a 0xFFFF-byte frame carrying a Publish with the largest payload, fed in 1460-byte segments', () => {
    // max frame | 2 + 13 + payload, then a Pong frame right behind it
    const stream = Buffer.concat([HEADER, Buffer.alloc(MAX_PAYLOAD, 0x5a), hex('00 03 | 0d')]);
    expect(stream).toHaveLength(0xffff + 3);
    const chunks: Buffer[] = [];
    for (let o = 0; o < stream.length; o += 1460) chunks.push(stream.subarray(o, o + 1460));

    const packets: Uint8Array[] = [];
    const decoder = new RawFrameDecoder((p) => packets.push(p));
    for (const c of chunks) expect(decoder.push(c)).toBeUndefined();

    expect(packets.map((p) => p.length)).toEqual([0xfffd, 1]);
    const publish = decodePacket(packets[0]!);
    if (publish instanceof Error || publish.type !== PacketType.Publish)
      throw new Error('expected a Publish');
    expect([publish.dest, publish.ptid, publish.subtid]).toEqual([2, 0x12a, 7]);
    expect(publish.payload).toHaveLength(0xfff0);
    expect(publish.payload.every((b) => b === 0x5a)).toBe(true);
    expect(toHex(packets[1]!)).toBe('0d');
  });

  it('decodes a 0xFFFF-byte frame pushed in one write', () => {
    const r = run([Buffer.concat([HEADER, Buffer.alloc(MAX_PAYLOAD, 0x5a)])]);
    expect(r.errors).toEqual([]);
    expect(r.packets).toHaveLength(1);
    expect(r.packets[0]!.length / 2).toBe(0xfffd);
  });
});
