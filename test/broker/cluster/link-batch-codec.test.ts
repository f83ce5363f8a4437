import { describe, expect, it } from 'vitest';
import { LinkMsg, decodeBatch, encodeBatch, encodeFrames } from '../../../broker/src/cluster/linkCodec.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const hexOf = (bs: Buffer[]): string[] => bs.map((b) => b.toString('hex'));

// Written by hand from linkCodec's format: EtidUp etid 0x102, EtidDown etid 5, Interest 2 'ab'.
const ETID_UP = '08 00000102';
const ETID_DOWN = '09 00000005';
const INTEREST = '07 00000002 6162';
const BATCH = `0f  00000005 ${ETID_UP}  00000005 ${ETID_DOWN}  00000007 ${INTEREST}`;

describe('link Batch frames (golden vectors)', () => {
  it('encodes messages as type 15, then u32 length and bytes for each, in order', () => {
    expect(encodeBatch([hex(ETID_UP), hex(ETID_DOWN), hex(INTEREST)]).toString('hex')).toBe(
      hex(BATCH).toString('hex'),
    );
  });

  it('decodes a Batch into its messages, in order', () => {
    expect(hexOf(decodeBatch(hex(BATCH))!)).toEqual(hexOf([hex(ETID_UP), hex(ETID_DOWN), hex(INTEREST)]));
  });

  it.each([
    ['no message', '0f'],
    ['a cut length', '0f 000000'],
    ['a length past the end', `0f 00000006 ${ETID_UP}`],
    ['an empty message', `0f 00000000 00000005 ${ETID_UP}`],
    ['a Batch inside a Batch', `0f 00000006 0f00000001 08`],
    ['another type', `0e 00000005 ${ETID_UP}`],
  ])('refuses %s', (_what, h) => {
    expect(decodeBatch(hex(h))).toBeUndefined();
  });

  it('puts runs of messages into Batches of at most maxFrame bytes; a run of one goes alone', () => {
    const msgs = [hex(ETID_UP), hex(ETID_DOWN), hex(INTEREST)];
    // 1 + 9 + 9 = 19 bytes hold the first two; the third starts a run of its own.
    expect(hexOf(encodeFrames(msgs, 19))).toEqual([
      hex(`0f 00000005 ${ETID_UP} 00000005 ${ETID_DOWN}`).toString('hex'),
      hex(INTEREST).toString('hex'),
    ]);
    expect(hexOf(encodeFrames(msgs, 1000))).toEqual([hex(BATCH).toString('hex')]);
    expect(hexOf(encodeFrames([hex(INTEREST)], 1000))).toEqual([hex(INTEREST).toString('hex')]);
    expect(encodeFrames([], 1000)).toEqual([]);
  });

  it('carries any list of messages through any frame size, in order (random splits)', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const msgs = Array.from({ length: 1 + rand(40) }, (_, i) => {
        const len = rand(10) === 0 ? 1 + rand(3000) : 1 + rand(40);
        const m = Buffer.alloc(len, (round + i) & 0xff);
        m[0] = 1 + rand(14); // any type but Batch
        return m;
      });
      const maxFrame = 5 + rand(2000);
      const frames = encodeFrames(msgs, maxFrame);
      const back = frames.flatMap((f) => {
        if (f[0] !== LinkMsg.Batch) return [f];
        expect(f.length).toBeLessThanOrEqual(maxFrame);
        return decodeBatch(f)!;
      });
      expect(hexOf(back)).toEqual(hexOf(msgs));
      for (const f of frames) if (f[0] !== LinkMsg.Batch) expect(msgs).toContain(f);
    }
  });
});
