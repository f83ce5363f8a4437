/**
 * Golden vectors: every hex string below was written by hand from SMQ-PROTOCOL.md, field by field,
 * never captured from our encoder. Each vector is checked in both directions: decodePacket() of the
 * bytes deep-equals the expected fields, and the matching encoder produces exactly the bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  AckStatus,
  ConnackCode,
  PING,
  PONG,
  PacketType,
  RawFrameDecoder,
  decodePacket,
  encodeAck,
  encodeChange,
  encodeConnack,
  encodeConnect,
  encodeDisconnect,
  encodeIdPacket,
  encodeInit,
  encodeNameRequest,
  encodePublish,
  frame,
  frameToBuffer,
  type Packet,
} from '../../../broker/src/protocol/index.js';
import { hex, toHex } from '../../helpers/hex.js';

/** ASCII text as bytes, for the expected side of a name or reason field. */
function ascii(s: string): Buffer {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`not printable ASCII: ${s}`);
  return Buffer.from(s, 'latin1');
}

/** True when the bytes are not valid UTF-8 (so a strict UTF-8 decode would lose them). */
function isInvalidUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return false;
  } catch {
    return true;
  }
}

/** Registers the two directions of one golden vector. */
function golden(what: string, bytes: string, expected: Packet, encode: () => Uint8Array): void {
  it(`decodes ${what} from the hand-written bytes`, () => {
    expect(decodePacket(hex(bytes))).toStrictEqual(expected);
  });
  it(`encodes ${what} to exactly the hand-written bytes`, () => {
    expect(toHex(encode())).toBe(hex(bytes).toString('hex'));
  });
}

/** Feeds one raw-TCP stream to a RawFrameDecoder and returns the packets it delivered. */
function unframe(stream: Uint8Array): Uint8Array[] {
  const packets: Uint8Array[] = [];
  const err = new RawFrameDecoder((p) => packets.push(p)).push(stream);
  expect(err).toBeUndefined();
  return packets;
}

// A C device's uid: its raw 6-byte MAC. c4 12 is a broken 2-byte sequence, ff and 80 never start one.
const MAC = '24 0a c4 12 ff 80';
// Its credentials: a raw 20-byte SHA-1 digest (here SHA-1("abc") from FIPS 180-2); a9 cannot start UTF-8.
const SHA1 = 'a9 99 3e 36 47 06 81 6a ba 3e 25 71 78 50 c2 6c 9c d0 d8 9d';

describe('Init (1)', () => {
  // type | version | seed        | ip "127.0.0.1"
  const INIT = '01 | 01 | 01 02 03 04 | 31 32 37 2e 30 2e 30 2e 31';
  // u16 length 17 (2 + 15-byte packet) | the Init above
  const FRAMED_INIT = `00 11 | ${INIT}`;
  const expected: Packet = { type: PacketType.Init, version: 1, seed: 0x01020304, ip: '127.0.0.1' };

  golden('an Init with seed 0x01020304 and ip "127.0.0.1"', INIT, expected, () =>
    encodeInit(0x01020304, '127.0.0.1'),
  );

  it('writes the framed Init exactly as a raw-TCP C client reads it: u16 length first, then type 1', () => {
    expect(toHex(frameToBuffer(encodeInit(0x01020304, '127.0.0.1')))).toBe(hex(FRAMED_INIT).toString('hex'));
    const [header, packet] = frame(encodeInit(0x01020304, '127.0.0.1'));
    expect(toHex(header)).toBe('0011');
    expect(toHex(packet)).toBe(hex(INIT).toString('hex'));
  });

  it('reads the framed Init back from a raw-TCP stream with the seed and ip intact', () => {
    const packets = unframe(hex(FRAMED_INIT));
    expect(packets).toHaveLength(1);
    expect(decodePacket(packets[0]!)).toStrictEqual(expected);
  });

  // type | version | seed (top bit set) | ip "10.0.0.7"
  golden(
    'an Init whose seed has its top bit set as an unsigned seed',
    '01 | 01 | fe dc ba 98 | 31 30 2e 30 2e 30 2e 37',
    { type: PacketType.Init, version: 1, seed: 0xfedcba98, ip: '10.0.0.7' },
    () => encodeInit(0xfedcba98, '10.0.0.7'),
  );
});

describe('Connect (2)', () => {
  // type | version 2 | max-frame hint 0 | uidLen 6 | MAC | credLen 20 | SHA-1 | info "esp32-led"
  const C_CONNECT = `02 | 02 | 00 00 | 06 | ${MAC} | 14 | ${SHA1} | 65 73 70 33 32 2d 6c 65 64`;
  const cExpected: Packet = {
    type: PacketType.Connect,
    version: 2,
    maxFrame: 0,
    uid: hex(MAC),
    credentials: hex(SHA1),
    info: ascii('esp32-led'),
  };

  it('uses uid and credential bytes that are not valid UTF-8 (so the vector can catch a text decode)', () => {
    expect(isInvalidUtf8(hex(MAC))).toBe(true);
    expect(isInvalidUtf8(hex(SHA1))).toBe(true);
  });

  golden("a C client's Connect v2 (hint 0, MAC uid, raw SHA-1 credentials, info)", C_CONNECT, cExpected, () =>
    encodeConnect({ version: 2, maxFrame: 0, uid: hex(MAC), credentials: hex(SHA1), info: 'esp32-led' }),
  );

  it('keeps a binary uid and SHA-1 credentials byte for byte through decoding', () => {
    const p = decodePacket(hex(C_CONNECT));
    if (p instanceof Error || p.type !== PacketType.Connect) throw new Error('expected a Connect');
    expect(toHex(p.uid)).toBe(hex(MAC).toString('hex'));
    expect(toHex(p.credentials)).toBe(hex(SHA1).toString('hex'));
    expect(p.credentials).toHaveLength(20);
  });

  it('reads a framed C Connect (u16 length 43) from a raw-TCP stream', () => {
    // u16 length 43 = 2 + 41-byte packet | the Connect above
    const packets = unframe(hex(`00 2b | ${C_CONNECT}`));
    expect(packets).toHaveLength(1);
    expect(decodePacket(packets[0]!)).toStrictEqual(cExpected);
  });

  // type | version 1 (no hint) | uidLen 8 | uid "abcdef01" | credLen 4 | "pass" | info "py"
  golden(
    'a Connect v1 without a max-frame hint',
    '02 | 01 | 08 | 61 62 63 64 65 66 30 31 | 04 | 70 61 73 73 | 70 79',
    {
      type: PacketType.Connect,
      version: 1,
      maxFrame: 0,
      uid: ascii('abcdef01'),
      credentials: ascii('pass'),
      info: ascii('py'),
    },
    () => encodeConnect({ version: 1, uid: 'abcdef01', credentials: 'pass', info: 'py' }),
  );

  // type | version 2 | max-frame hint 0x1000 | uidLen 6 | uid "uid-01" | credLen 0 | no info
  golden(
    'a Connect v2 with a non-zero max-frame hint, empty credentials and empty info',
    '02 | 02 | 10 00 | 06 | 75 69 64 2d 30 31 | 00',
    {
      type: PacketType.Connect,
      version: 2,
      maxFrame: 0x1000,
      uid: ascii('uid-01'),
      credentials: Buffer.alloc(0),
      info: Buffer.alloc(0),
    },
    () => encodeConnect({ version: 2, maxFrame: 0x1000, uid: 'uid-01' }),
  );
});

describe('Connack (3)', () => {
  // type | rc 0 | etid 0x12a | no reason
  golden(
    'an accepting Connack (rc 0, etid 0x12a, no reason)',
    '03 | 00 | 00 00 01 2a',
    { type: PacketType.Connack, rc: 0, etid: 0x12a, reason: Buffer.alloc(0) },
    () => encodeConnack(ConnackCode.Accepted, 0x12a),
  );

  // type | rc 3 | etid 0 | reason "bad credentials"
  golden(
    'a refusing Connack (rc 3, etid 0, reason text)',
    '03 | 03 | 00 00 00 00 | 62 61 64 20 63 72 65 64 65 6e 74 69 61 6c 73',
    { type: PacketType.Connack, rc: 3, etid: 0, reason: ascii('bad credentials') },
    () => encodeConnack(ConnackCode.BadCredentials, 0, 'bad credentials'),
  );

  it('writes etid 0 in a refusal even when handed an etid', () => {
    // type | rc 1 | etid 0 | reason "bad uid"
    expect(toHex(encodeConnack(ConnackCode.BadVersion, 77, 'bad uid'))).toBe(
      hex('03 | 01 | 00 00 00 00 | 62 61 64 20 75 69 64').toString('hex'),
    );
  });

  it('writes no reason text in an acceptance even when handed one', () => {
    expect(toHex(encodeConnack(ConnackCode.Accepted, 2, 'welcome'))).toBe(
      hex('03 | 00 | 00 00 00 02').toString('hex'),
    );
  });
});

describe('name requests: Subscribe (4), Create (6), Createsub (17)', () => {
  // type | topic "/m2m/led/display"
  golden(
    'a Subscribe to "/m2m/led/display"',
    '04 | 2f 6d 32 6d 2f 6c 65 64 2f 64 69 73 70 6c 61 79',
    { type: PacketType.Subscribe, name: ascii('/m2m/led/display') },
    () => encodeNameRequest(PacketType.Subscribe, '/m2m/led/display'),
  );

  // type | topic "/m2m/led/device"
  golden(
    'a Create of "/m2m/led/device"',
    '06 | 2f 6d 32 6d 2f 6c 65 64 2f 64 65 76 69 63 65',
    { type: PacketType.Create, name: ascii('/m2m/led/device') },
    () => encodeNameRequest(PacketType.Create, '/m2m/led/device'),
  );

  // type | sub-topic "devinfo"
  golden(
    'a Createsub of "devinfo"',
    '11 | 64 65 76 69 6e 66 6f',
    { type: PacketType.Createsub, name: ascii('devinfo') },
    () => encodeNameRequest(PacketType.Createsub, 'devinfo'),
  );
});

describe('acks: Suback (5), Createack (7), Createsuback (18)', () => {
  // type | status 0 | tid 5 | name "/m2m/led/display" echoed
  golden(
    'a granted Suback (status 0, tid 5, name echoed)',
    '05 | 00 | 00 00 00 05 | 2f 6d 32 6d 2f 6c 65 64 2f 64 69 73 70 6c 61 79',
    { type: PacketType.Suback, status: 0, id: 5, name: ascii('/m2m/led/display') },
    () => encodeAck(PacketType.Suback, AckStatus.Ok, 5, '/m2m/led/display'),
  );

  // type | status 1 | tid 0 | name "/secret" echoed
  golden(
    'a denied Suback (status 1, tid 0)',
    '05 | 01 | 00 00 00 00 | 2f 73 65 63 72 65 74',
    { type: PacketType.Suback, status: 1, id: 0, name: ascii('/secret') },
    () => encodeAck(PacketType.Suback, AckStatus.Denied, 0, '/secret'),
  );

  // type | status 0 | tid 0x80000002 | name 2f c3 28 ff: "/" then bytes that are not UTF-8
  golden(
    'a Suback echoing a name that is not valid UTF-8 byte for byte, with a tid above 2^31',
    '05 | 00 | 80 00 00 02 | 2f c3 28 ff',
    { type: PacketType.Suback, status: 0, id: 0x80000002, name: hex('2f c3 28 ff') },
    () => encodeAck(PacketType.Suback, AckStatus.Ok, 0x80000002, hex('2f c3 28 ff')),
  );

  // type | status 0 | tid 2 | name "/m2m/led/device" echoed
  golden(
    'a granted Createack (status 0, tid 2)',
    '07 | 00 | 00 00 00 02 | 2f 6d 32 6d 2f 6c 65 64 2f 64 65 76 69 63 65',
    { type: PacketType.Createack, status: 0, id: 2, name: ascii('/m2m/led/device') },
    () => encodeAck(PacketType.Createack, AckStatus.Ok, 2, '/m2m/led/device'),
  );

  // type | status 1 | tid 0 | name "/secret" echoed
  golden(
    'a denied Createack (status 1, tid 0)',
    '07 | 01 | 00 00 00 00 | 2f 73 65 63 72 65 74',
    { type: PacketType.Createack, status: 1, id: 0, name: ascii('/secret') },
    () => encodeAck(PacketType.Createack, AckStatus.Denied, 0, '/secret'),
  );

  // type | status 0 | subtid 7 | name "devinfo" echoed
  golden(
    'a granted Createsuback (status 0, subtid 7)',
    '12 | 00 | 00 00 00 07 | 64 65 76 69 6e 66 6f',
    { type: PacketType.Createsuback, status: 0, id: 7, name: ascii('devinfo') },
    () => encodeAck(PacketType.Createsuback, AckStatus.Ok, 7, 'devinfo'),
  );

  // type | status 1 | subtid 0 | name "led" echoed
  golden(
    'a denied Createsuback (status 1, subtid 0)',
    '12 | 01 | 00 00 00 00 | 6c 65 64',
    { type: PacketType.Createsuback, status: 1, id: 0, name: ascii('led') },
    () => encodeAck(PacketType.Createsuback, AckStatus.Denied, 0, 'led'),
  );

  it('writes id 0 in a denied ack even when handed an id', () => {
    expect(toHex(encodeAck(PacketType.Createack, AckStatus.Denied, 9, 'x'))).toBe(
      hex('07 | 01 | 00 00 00 00 | 78').toString('hex'),
    );
  });
});

describe('Publish (8) and PubFrag (19)', () => {
  // type | dest tid 2 | publisher etid 0x12a | subtid 0 | payload "Hello"
  golden(
    'a Publish of "Hello" to tid 2 from etid 0x12a with subtid 0',
    '08 | 00 00 00 02 | 00 00 01 2a | 00 00 00 00 | 48 65 6c 6c 6f',
    { type: PacketType.Publish, dest: 2, ptid: 0x12a, subtid: 0, payload: ascii('Hello') },
    () => encodePublish(2, 0x12a, 0, 'Hello'),
  );

  // type | dest tid 3 (/m2m/temp) | publisher etid 0x12a | subtid 0 | payload -100 as s16 (-10.0 °C)
  golden(
    'a Publish of a binary temperature payload (ff 9c)',
    '08 | 00 00 00 03 | 00 00 01 2a | 00 00 00 00 | ff 9c',
    { type: PacketType.Publish, dest: 3, ptid: 0x12a, subtid: 0, payload: hex('ff 9c') },
    () => encodePublish(3, 0x12a, 0, hex('ff 9c')),
  );

  // type | dest etid 0xfffffffe | publisher etid 0x12a | subtid 7 | empty payload
  golden(
    'a Publish with an empty payload, a subtid and a destination above 2^31',
    '08 | ff ff ff fe | 00 00 01 2a | 00 00 00 07',
    { type: PacketType.Publish, dest: 0xfffffffe, ptid: 0x12a, subtid: 7, payload: Buffer.alloc(0) },
    () => encodePublish(0xfffffffe, 0x12a, 7, ''),
  );

  // type | dest 0 (intermediate) | publisher etid 0x12a | subtid 7 | chunk {"a":
  golden(
    'an intermediate PubFrag (destination 0)',
    '13 | 00 00 00 00 | 00 00 01 2a | 00 00 00 07 | 7b 22 61 22 3a',
    { type: PacketType.PubFrag, dest: 0, ptid: 0x12a, subtid: 7, payload: ascii('{"a":') },
    () => encodePublish(0, 0x12a, 7, '{"a":', PacketType.PubFrag),
  );

  // type | dest tid 2 (last fragment) | publisher etid 0x12a | subtid 7 | chunk 1}
  golden(
    'the last PubFrag (destination set)',
    '13 | 00 00 00 02 | 00 00 01 2a | 00 00 00 07 | 31 7d',
    { type: PacketType.PubFrag, dest: 2, ptid: 0x12a, subtid: 7, payload: ascii('1}') },
    () => encodePublish(2, 0x12a, 7, '1}', PacketType.PubFrag),
  );
});

describe('id packets: Unsubscribe (9), Observe (14), Unobserve (15), and Change (16)', () => {
  // type | tid 5
  golden('an Unsubscribe from tid 5', '09 | 00 00 00 05', { type: PacketType.Unsubscribe, id: 5 }, () =>
    encodeIdPacket(PacketType.Unsubscribe, 5),
  );

  // type | tid 2
  golden('an Observe of tid 2', '0e | 00 00 00 02', { type: PacketType.Observe, id: 2 }, () =>
    encodeIdPacket(PacketType.Observe, 2),
  );

  // type | etid 0x12a
  golden('an Unobserve of etid 0x12a', '0f | 00 00 01 2a', { type: PacketType.Unobserve, id: 0x12a }, () =>
    encodeIdPacket(PacketType.Unobserve, 0x12a),
  );

  // type | tid 2 | subscriber count 3
  golden(
    'a Change of tid 2 to 3 subscribers',
    '10 | 00 00 00 02 | 00 00 00 03',
    { type: PacketType.Change, id: 2, count: 3 },
    () => encodeChange(2, 3),
  );

  // type | etid 0x12a | count 0 (gone)
  golden(
    'a Change announcing etid 0x12a gone (count 0)',
    '10 | 00 00 01 2a | 00 00 00 00',
    { type: PacketType.Change, id: 0x12a, count: 0 },
    () => encodeChange(0x12a, 0),
  );

  // type | tid 0x01020304 | count 0x00010203: byte order of both fields
  golden(
    'a Change with both u32 fields big-endian',
    '10 | 01 02 03 04 | 00 01 02 03',
    { type: PacketType.Change, id: 0x01020304, count: 0x00010203 },
    () => encodeChange(0x01020304, 0x00010203),
  );
});

describe('Disconnect (11), Ping (12), Pong (13)', () => {
  // type | reason "corrupt frame"
  golden(
    'a Disconnect with reason "corrupt frame"',
    '0b | 63 6f 72 72 75 70 74 20 66 72 61 6d 65',
    { type: PacketType.Disconnect, reason: ascii('corrupt frame') },
    () => encodeDisconnect('corrupt frame'),
  );

  // type | reason "reconnect"
  golden(
    'a Disconnect with reason "reconnect"',
    '0b | 72 65 63 6f 6e 6e 65 63 74',
    { type: PacketType.Disconnect, reason: ascii('reconnect') },
    () => encodeDisconnect('reconnect'),
  );

  // type only
  golden('an empty Disconnect', '0b', { type: PacketType.Disconnect, reason: Buffer.alloc(0) }, () =>
    encodeDisconnect(),
  );

  // type only
  golden('a Ping', '0c', { type: PacketType.Ping }, () => PING);

  // type only
  golden('a Pong', '0d', { type: PacketType.Pong }, () => PONG);
});

describe('bytes that are not a Buffer (a browser WebSocket message)', () => {
  it('decodes a plain Uint8Array into plain Uint8Array views with the same bytes', () => {
    const bytes = new Uint8Array(hex(`02 | 02 | 00 00 | 06 | ${MAC} | 14 | ${SHA1} | 70 79`));
    const p = decodePacket(bytes);
    if (p instanceof Error || p.type !== PacketType.Connect) throw new Error('expected a Connect');
    expect(Buffer.isBuffer(p.uid)).toBe(false);
    expect(p.uid.buffer).toBe(bytes.buffer);
    expect([toHex(p.uid), toHex(p.credentials), toHex(p.info)]).toEqual([
      hex(MAC).toString('hex'),
      hex(SHA1).toString('hex'),
      '7079',
    ]);
  });
});
