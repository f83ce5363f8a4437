import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, EnvelopeKind } from '../../../broker/src/cluster/nats/envelope.js';
import { clusterSubjects, nameToken } from '../../../broker/src/cluster/nats/subjects.js';
import { DeltaSequence } from '../../../broker/src/cluster/nats/DeltaSequence.js';
import { hex } from '../../helpers/hex.js';

describe('the NATS envelope', () => {
  // kind 3 (Delta), seq 0x01020304, node id "ab", body EtidUp(5): written by hand from envelope.ts.
  const golden = '03 01020304 02 6162 08 00000005';

  it('encodes a delta to the golden bytes and decodes them back', () => {
    const body = Buffer.from('0800000005', 'hex');
    expect(encodeEnvelope(EnvelopeKind.Delta, 0x01020304, 'ab', body).toString('hex')).toBe(
      golden.replace(/ /g, ''),
    );
    expect(decodeEnvelope(hex(golden))).toEqual({ kind: 3, seq: 0x01020304, nodeId: 'ab', body });
  });

  it.each([
    ['an unknown kind', '05 00000000 01 61'],
    ['kind 0', '00 00000000 01 61'],
    ['an empty node id', '01 00000000 00'],
    ['a node id past the end', '01 00000000 03 6162'],
    ['a short header', '01 000000'],
  ])('rejects %s', (_what, bytes) => {
    expect(decodeEnvelope(hex(bytes))).toBeUndefined();
  });
});

describe('names on NATS subjects', () => {
  it('maps a short name of any bytes to b + base64url, free of NATS wildcards and separators', () => {
    expect(nameToken(Buffer.from('a.b *>'))).toBe('bYS5iICo-');
    expect(nameToken(Buffer.from([0xff, 0xfe]))).toBe('b__4');
  });

  it('maps a long name to h + base64url of its SHA-256, different for names that differ in the last byte', () => {
    const long = Buffer.alloc(100, 0x2e);
    const other = Buffer.concat([long.subarray(0, 99), Buffer.from('/')]);
    expect(nameToken(long)).toMatch(/^h[A-Za-z0-9_-]{43}$/);
    expect(nameToken(long)).not.toBe(nameToken(other));
  });

  it('puts each cluster under its own root', () => {
    const east = clusterSubjects('east');
    const west = clusterSubjects('west');
    expect(east.topic(Buffer.from('t'))).toBe('smq.bZWFzdA.t.bdA');
    expect(west.topic(Buffer.from('t'))).not.toBe(east.topic(Buffer.from('t')));
    expect(east.node('mx1-ab')).toBe('smq.bZWFzdA.n.bbXgxLWFi');
  });
});

describe('delta numbering of one peer', () => {
  it('applies the next delta, skips repeats, and reports a gap', () => {
    const s = new DeltaSequence();
    expect(s.delta(1)).toBe('skip'); // no snapshot yet
    expect(s.snapshot(4)).toBe(true);
    expect(s.delta(4)).toBe('skip');
    expect(s.delta(5)).toBe('apply');
    expect(s.delta(7)).toBe('gap');
    expect(s.revealsGap(5)).toBe(false);
    expect(s.revealsGap(6)).toBe(true);
  });

  it('refuses a snapshot older than what it applied, and waits for one after lose()', () => {
    const s = new DeltaSequence();
    s.snapshot(10);
    expect(s.snapshot(9)).toBe(false);
    s.lose();
    expect(s.awaitingSnapshot).toBe(true);
    expect(s.revealsGap(99)).toBe(false);
    expect(s.snapshot(3)).toBe(true);
  });
});
