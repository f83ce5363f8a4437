/**
 * Messages on a cluster link (type byte first): one binary WebSocket message each, or several in
 * one Batch. Names, never node-local ids, cross a link: the receiver translates them to its own
 * TIDs and sub-topic ids. Control messages carry JSON; publishes and the frequent small updates
 * are binary. Pure functions.
 */
export const LinkMsg = {
  /** acceptor → solicitor: identity and the acceptor's nonce */
  Hello: 1,
  /** solicitor → acceptor: identity, nonce and proof of the secret */
  Auth: 2,
  /** acceptor → solicitor: its proof of the secret; the link is up */
  Welcome: 3,
  /** either way, then close: why the link is refused */
  Refuse: 4,
  /** gossip: the members this node knows */
  Members: 5,
  /** first message after link-up: live ETIDs and per-topic subscriber counts */
  Sync: 6,
  Interest: 7,
  EtidUp: 8,
  EtidDown: 9,
  PubTopic: 10,
  PubEtid: 11,
  Ping: 12,
  Pong: 13,
  /** the sender's ETID prefixes changed (its counter ran out): JSON number[] */
  Prefixes: 14,
  /**
   * the messages a link wrote in one event-loop turn, in order, in one frame: each as u32 length,
   * then its bytes. Only once the link is up; never empty, never nested, no empty message.
   */
  Batch: 15,
} as const;
export type LinkMsg = (typeof LinkMsg)[keyof typeof LinkMsg];

export interface Identity {
  nodeId: string;
  name: string;
  /** ws:// URL peers dial to reach this node. */
  url: string;
  nonce: string;
  /** ETID prefixes this node issues under. */
  prefixes: number[];
}
export interface AuthBody extends Identity {
  proof: string;
}
export interface WelcomeBody {
  proof: string;
}
export interface RefuseBody {
  code: string;
  reason: string;
}
export interface Member {
  nodeId: string;
  url: string;
}
export interface SyncBody {
  /** The sender's server client ETID and every live client ETID on it. */
  etids: number[];
  /** [topic name as latin1 (one char per byte), subscriber count] */
  interest: [string, number][];
}

export function encodeJson(type: LinkMsg, body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const out = Buffer.allocUnsafe(1 + json.length);
  out[0] = type;
  json.copy(out, 1);
  return out;
}

/** Parses a JSON body; undefined when it is not JSON (the handshake then closes the link; later messages are ignored). */
export function decodeJson<T>(msg: Buffer): T | undefined {
  try {
    return JSON.parse(msg.toString('utf8', 1)) as T;
  } catch {
    return undefined;
  }
}

/** Interest: u32 count, name. */
export function encodeInterest(name: Buffer, count: number): Buffer {
  const out = Buffer.allocUnsafe(5 + name.length);
  out[0] = LinkMsg.Interest;
  out.writeUInt32BE(count, 1);
  name.copy(out, 5);
  return out;
}

export function decodeInterest(msg: Buffer): { count: number; name: Buffer } | undefined {
  if (msg.length < 5) return undefined;
  return { count: msg.readUInt32BE(1), name: msg.subarray(5) };
}

/** EtidUp / EtidDown: u32 etid. */
export function encodeEtid(type: typeof LinkMsg.EtidUp | typeof LinkMsg.EtidDown, etid: number): Buffer {
  const out = Buffer.allocUnsafe(5);
  out[0] = type;
  out.writeUInt32BE(etid, 1);
  return out;
}

export function decodeEtid(msg: Buffer): number | undefined {
  return msg.length === 5 ? msg.readUInt32BE(1) : undefined;
}

/** PubTopic: u32 ptid, u16 name length, name, u16 sub-topic length, sub-topic, payload. */
export function encodePubTopic(ptid: number, name: Buffer, sub: Buffer, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(9 + name.length + sub.length + payload.length);
  out[0] = LinkMsg.PubTopic;
  out.writeUInt32BE(ptid, 1);
  let o = 5;
  out.writeUInt16BE(name.length, o);
  o += 2 + name.copy(out, o + 2);
  out.writeUInt16BE(sub.length, o);
  o += 2 + sub.copy(out, o + 2);
  payload.copy(out, o);
  return out;
}

export interface PubTopic {
  ptid: number;
  name: Buffer;
  sub: Buffer;
  payload: Buffer;
}

export function decodePubTopic(msg: Buffer): PubTopic | undefined {
  if (msg.length < 9) return undefined;
  const ptid = msg.readUInt32BE(1);
  const nameLen = msg.readUInt16BE(5);
  const subAt = 7 + nameLen;
  if (subAt + 2 > msg.length) return undefined;
  const subLen = msg.readUInt16BE(subAt);
  const payloadAt = subAt + 2 + subLen;
  if (payloadAt > msg.length) return undefined;
  return {
    ptid,
    name: msg.subarray(7, subAt),
    sub: msg.subarray(subAt + 2, payloadAt),
    payload: msg.subarray(payloadAt),
  };
}

/** PubEtid: u32 destination ETID, u32 ptid, u16 sub-topic length, sub-topic, payload. */
export function encodePubEtid(dest: number, ptid: number, sub: Buffer, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(11 + sub.length + payload.length);
  out[0] = LinkMsg.PubEtid;
  out.writeUInt32BE(dest, 1);
  out.writeUInt32BE(ptid, 5);
  out.writeUInt16BE(sub.length, 9);
  sub.copy(out, 11);
  payload.copy(out, 11 + sub.length);
  return out;
}

export interface PubEtid {
  dest: number;
  ptid: number;
  sub: Buffer;
  payload: Buffer;
}

export function decodePubEtid(msg: Buffer): PubEtid | undefined {
  if (msg.length < 11) return undefined;
  const subLen = msg.readUInt16BE(9);
  if (11 + subLen > msg.length) return undefined;
  return {
    dest: msg.readUInt32BE(1),
    ptid: msg.readUInt32BE(5),
    sub: msg.subarray(11, 11 + subLen),
    payload: msg.subarray(11 + subLen),
  };
}

/** Ping / Pong: f64 sender timestamp in ms (performance.now), echoed back by Pong. */
export function encodeTimestamp(type: typeof LinkMsg.Ping | typeof LinkMsg.Pong, t: number): Buffer {
  const out = Buffer.allocUnsafe(9);
  out[0] = type;
  out.writeDoubleBE(t, 1);
  return out;
}

export function decodeTimestamp(msg: Buffer): number | undefined {
  return msg.length === 9 ? msg.readDoubleBE(1) : undefined;
}

/** Batch: u32 length then the message, for each of `msgs` (at least two; none a Batch). */
export function encodeBatch(msgs: readonly Buffer[]): Buffer {
  let size = 1;
  for (const m of msgs) size += 4 + m.length;
  const out = Buffer.allocUnsafe(size);
  out[0] = LinkMsg.Batch;
  let o = 1;
  for (const m of msgs) {
    out.writeUInt32BE(m.length, o);
    o += 4 + m.copy(out, o + 4);
  }
  return out;
}

/**
 * The frames that carry `msgs` in order: runs of messages as one Batch of at most `maxFrame`
 * bytes, a run of one as that message alone (also one larger than `maxFrame`).
 */
export function encodeFrames(msgs: readonly Buffer[], maxFrame: number): Buffer[] {
  const frames: Buffer[] = [];
  let run: Buffer[] = [];
  let runSize = 1;
  const endRun = (): void => {
    if (run.length === 1) frames.push(run[0]!);
    else if (run.length > 1) frames.push(encodeBatch(run));
    run = [];
    runSize = 1;
  };
  for (const m of msgs) {
    if (run.length > 0 && runSize + 4 + m.length > maxFrame) endRun();
    run.push(m);
    runSize += 4 + m.length;
  }
  endRun();
  return frames;
}

/** The messages of a Batch (views into it), or undefined when it is malformed. */
export function decodeBatch(msg: Buffer): Buffer[] | undefined {
  if (msg.length < 1 || msg[0] !== LinkMsg.Batch) return undefined;
  const out: Buffer[] = [];
  let o = 1;
  while (o < msg.length) {
    if (o + 4 > msg.length) return undefined;
    const len = msg.readUInt32BE(o);
    const end = o + 4 + len;
    if (len === 0 || end > msg.length || msg[o + 4] === LinkMsg.Batch) return undefined;
    out.push(msg.subarray(o + 4, end));
    o = end;
  }
  return out.length > 0 ? out : undefined;
}
