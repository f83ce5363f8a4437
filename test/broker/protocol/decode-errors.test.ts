/**
 * Malformed packets (hand-written hex, unframed, type byte first): decodePacket() returns, never throws,
 * an SmqProtocolError whose `code` names what is wrong.
 */
import { describe, expect, it } from 'vitest';
import {
  SmqError,
  SmqProtocolError,
  decodePacket,
  type SmqErrorCode,
} from '../../../broker/src/protocol/index.js';

/** Hand-written hex, `|` between fields and spaces between bytes; refuses anything but whole hex bytes. */
function hex(s: string): Buffer {
  const compact = s.replace(/[\s|]+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(compact)) throw new Error(`not a hex byte string: ${s}`);
  return Buffer.from(compact, 'hex');
}

interface Malformed {
  /** Completes "refuses ...". */
  what: string;
  bytes: string;
  code: SmqErrorCode;
}

// A C device's uid: its raw 6-byte MAC.
const MAC = '24 0a c4 12 ff 80';

function refuses(cases: Malformed[]): void {
  for (const c of cases) {
    it(`refuses ${c.what} with ${c.code}`, () => {
      const result = decodePacket(hex(c.bytes));
      expect(result).toBeInstanceOf(SmqProtocolError);
      expect(result).toBeInstanceOf(SmqError);
      expect((result as SmqProtocolError).code).toBe(c.code);
    });
  }
}

describe('packets without a valid type', () => {
  refuses([
    { what: 'an empty packet', bytes: '', code: 'SMQ_ERR_EMPTY_PACKET' },
    { what: 'type 0', bytes: '00', code: 'SMQ_ERR_INVALID_TYPE' },
    { what: 'type 0 with a body', bytes: '00 | 00 00 00 01', code: 'SMQ_ERR_INVALID_TYPE' },
    { what: 'type 10 (unassigned)', bytes: '0a', code: 'SMQ_ERR_INVALID_TYPE' },
    { what: 'type 10 shaped like an id packet', bytes: '0a | 00 00 00 02', code: 'SMQ_ERR_INVALID_TYPE' },
    { what: 'type 20, one past PubFrag', bytes: '14', code: 'SMQ_ERR_INVALID_TYPE' },
    {
      what: 'type 20 shaped like a Publish',
      bytes: '14 | 00 00 00 02 | 00 00 01 2a | 00 00 00 00 | 48 69',
      code: 'SMQ_ERR_INVALID_TYPE',
    },
    { what: 'type 255', bytes: 'ff', code: 'SMQ_ERR_INVALID_TYPE' },
  ]);
});

describe('packets shorter than their fixed header', () => {
  refuses([
    // type | version | seed cut to 3 of 4 bytes
    { what: 'an Init of 5 bytes', bytes: '01 | 01 | 01 02 03', code: 'SMQ_ERR_SHORT_PACKET' },
    { what: 'an Init of the type byte alone', bytes: '01', code: 'SMQ_ERR_SHORT_PACKET' },
    // type | rc | etid cut to 3 of 4 bytes
    { what: 'a Connack of 5 bytes', bytes: '03 | 00 | 00 00 01', code: 'SMQ_ERR_SHORT_PACKET' },
    { what: 'a Connack without its etid', bytes: '03 | 03', code: 'SMQ_ERR_SHORT_PACKET' },
    // type | status | id cut to 3 of 4 bytes
    { what: 'a Suback of 5 bytes', bytes: '05 | 00 | 00 00 00', code: 'SMQ_ERR_SHORT_PACKET' },
    { what: 'a Createack of 2 bytes', bytes: '07 | 00', code: 'SMQ_ERR_SHORT_PACKET' },
    { what: 'a Createsuback of the type byte alone', bytes: '12', code: 'SMQ_ERR_SHORT_PACKET' },
    // type | dest | publisher | subtid cut to 3 of 4 bytes: 12 bytes
    {
      what: 'a Publish of 12 bytes',
      bytes: '08 | 00 00 00 02 | 00 00 01 2a | 00 00 00',
      code: 'SMQ_ERR_SHORT_PACKET',
    },
    { what: 'a Publish of the type byte alone', bytes: '08', code: 'SMQ_ERR_SHORT_PACKET' },
    {
      what: 'a PubFrag of 12 bytes',
      bytes: '13 | 00 00 00 00 | 00 00 01 2a | 00 00 00',
      code: 'SMQ_ERR_SHORT_PACKET',
    },
  ]);
});

describe('malformed Connect', () => {
  refuses([
    { what: 'a Connect without a version', bytes: '02', code: 'SMQ_ERR_SHORT_PACKET' },
    // type | version 3 | (otherwise a valid v2 body)
    {
      what: 'a Connect with version 3',
      bytes: `02 | 03 | 00 00 | 06 | ${MAC} | 00`,
      code: 'SMQ_ERR_BAD_VERSION',
    },
    { what: 'a Connect with version 0', bytes: `02 | 00 | 06 | ${MAC} | 00`, code: 'SMQ_ERR_BAD_VERSION' },
    // type | version 2 | (no hint)
    { what: 'a v2 Connect missing its max-frame hint', bytes: '02 | 02', code: 'SMQ_ERR_SHORT_PACKET' },
    // type | version 2 | hint cut to 1 of 2 bytes
    { what: 'a v2 Connect with half a max-frame hint', bytes: '02 | 02 | 00', code: 'SMQ_ERR_SHORT_PACKET' },
    { what: 'a v2 Connect ending after its hint', bytes: '02 | 02 | 00 00', code: 'SMQ_ERR_SHORT_PACKET' },
    { what: 'a v1 Connect ending after its version', bytes: '02 | 01', code: 'SMQ_ERR_SHORT_PACKET' },
    // type | version 2 | hint | uidLen 8 | only 6 uid bytes
    {
      what: 'a Connect whose uid length runs past the end',
      bytes: `02 | 02 | 00 00 | 08 | ${MAC}`,
      code: 'SMQ_ERR_SHORT_PACKET',
    },
    // type | version 1 | uidLen 255 | 2 uid bytes
    {
      what: 'a v1 Connect whose uid length 255 runs past the end',
      bytes: '02 | 01 | ff | 61 62',
      code: 'SMQ_ERR_SHORT_PACKET',
    },
    // type | version 2 | hint | uidLen 6 | uid | (no credLen)
    {
      what: 'a Connect whose uid ends the packet with no credentials length',
      bytes: `02 | 02 | 00 00 | 06 | ${MAC}`,
      code: 'SMQ_ERR_SHORT_PACKET',
    },
    // type | version 2 | hint | uidLen 6 | uid | credLen 20 | only 2 credential bytes
    {
      what: 'a Connect whose credentials run past the end',
      bytes: `02 | 02 | 00 00 | 06 | ${MAC} | 14 | a9 99`,
      code: 'SMQ_ERR_SHORT_PACKET',
    },
    // type | version 1 | uidLen 6 | uid | credLen 1 | (no credential byte)
    {
      what: 'a v1 Connect whose credentials length is one past the end',
      bytes: `02 | 01 | 06 | ${MAC} | 01`,
      code: 'SMQ_ERR_SHORT_PACKET',
    },
  ]);
});

describe('id packets and Change with the wrong size', () => {
  refuses([
    // type | id cut to 3 of 4 bytes
    { what: 'an Observe of 4 bytes', bytes: '0e | 00 00 00', code: 'SMQ_ERR_SHORT_PACKET' },
    { what: 'an Observe of the type byte alone', bytes: '0e', code: 'SMQ_ERR_SHORT_PACKET' },
    // type | id | one byte too many
    {
      what: 'an Observe with a trailing byte',
      bytes: '0e | 00 00 00 02 | 00',
      code: 'SMQ_ERR_TRAILING_BYTES',
    },
    { what: 'an Unobserve of 4 bytes', bytes: '0f | 00 00 01', code: 'SMQ_ERR_SHORT_PACKET' },
    {
      what: 'an Unobserve with trailing bytes',
      bytes: '0f | 00 00 01 2a | 00 00 00 00',
      code: 'SMQ_ERR_TRAILING_BYTES',
    },
    { what: 'an Unsubscribe of 4 bytes', bytes: '09 | 00 00 00', code: 'SMQ_ERR_SHORT_PACKET' },
    {
      what: 'an Unsubscribe with a trailing byte',
      bytes: '09 | 00 00 00 05 | 05',
      code: 'SMQ_ERR_TRAILING_BYTES',
    },
    // type | id | count cut to 3 of 4 bytes
    { what: 'a Change of 8 bytes', bytes: '10 | 00 00 00 02 | 00 00 00', code: 'SMQ_ERR_SHORT_PACKET' },
    { what: 'a Change with only its id', bytes: '10 | 00 00 00 02', code: 'SMQ_ERR_SHORT_PACKET' },
    // type | id | count | one byte too many
    {
      what: 'a Change with a trailing byte',
      bytes: '10 | 00 00 00 02 | 00 00 00 03 | 00',
      code: 'SMQ_ERR_TRAILING_BYTES',
    },
  ]);
});

describe('keepalives with a body', () => {
  refuses([
    { what: 'a Ping with a 1-byte body', bytes: '0c | 00', code: 'SMQ_ERR_TRAILING_BYTES' },
    { what: 'a Ping with a text body', bytes: '0c | 70 69 6e 67', code: 'SMQ_ERR_TRAILING_BYTES' },
    { what: 'a Pong with a 1-byte body', bytes: '0d | 0d', code: 'SMQ_ERR_TRAILING_BYTES' },
  ]);
});

describe('boundaries that are not errors', () => {
  it('accepts a Publish of exactly its 13-byte header (empty payload)', () => {
    expect(decodePacket(hex('08 | 00 00 00 02 | 00 00 01 2a | 00 00 00 00'))).not.toBeInstanceOf(Error);
  });

  it('accepts an Init of exactly 6 bytes and a Connack of exactly 6 bytes', () => {
    expect(decodePacket(hex('01 | 01 | 00 00 00 01'))).not.toBeInstanceOf(Error);
    expect(decodePacket(hex('03 | 00 | 00 00 00 02'))).not.toBeInstanceOf(Error);
  });

  it('accepts a Connect whose credentials end exactly at the end of the packet', () => {
    expect(decodePacket(hex(`02 | 02 | 00 00 | 06 | ${MAC} | 02 | a9 99`))).not.toBeInstanceOf(Error);
  });
});
