import { randomBytes } from 'node:crypto';
import { PacketType } from '../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../broker/src/protocol/connect.js';
import { encodeNameRequest, type NameRequestType } from '../../broker/src/protocol/names.js';
import { encodePublish } from '../../broker/src/protocol/publish.js';
import { encodeIdPacket } from '../../broker/src/protocol/ids.js';
import { RawPeer, WsPeer, type SmqPeer, type Target } from './SmqPeer.js';

export type TransportName = 'raw' | 'ws';
export const TRANSPORTS: TransportName[] = ['raw', 'ws'];

/** A peer past Connack, with its ETID. */
export interface Connected<P extends SmqPeer = SmqPeer> {
  peer: P;
  etid: number;
  seed: number;
}

export async function openPeer(port: Target, transport: TransportName): Promise<SmqPeer> {
  return transport === 'raw' ? RawPeer.connect(port) : WsPeer.connect(port);
}

/** Init → Connect v2 (max-frame 0, like the C client) → Connack 0. */
export async function connectPeer(
  port: Target,
  transport: TransportName,
  uid: Buffer = randomBytes(6),
  credentials: Buffer | ((seed: number) => Buffer) = Buffer.alloc(0),
): Promise<Connected> {
  const peer = await openPeer(port, transport);
  const init = await peer.next(PacketType.Init);
  const seed = init.readUInt32BE(2);
  const cred = typeof credentials === 'function' ? credentials(seed) : credentials;
  peer.send(encodeConnect({ version: 2, maxFrame: 0, uid, credentials: cred, info: 'test' }));
  const ack = await peer.next(PacketType.Connack);
  if (ack[1] !== 0) throw new Error(`Connack refused: ${ack.toString('hex')}`);
  return { peer, etid: ack.readUInt32BE(2), seed };
}

/** Sends a name request and returns the id from its ack (0 when denied). */
export async function request(peer: SmqPeer, type: NameRequestType, name: string | Buffer): Promise<number> {
  peer.send(encodeNameRequest(type, name));
  const ack = await peer.next(type + 1);
  return ack.readUInt32BE(2);
}

export const subscribe = (p: SmqPeer, name: string | Buffer): Promise<number> =>
  request(p, PacketType.Subscribe, name);
export const create = (p: SmqPeer, name: string | Buffer): Promise<number> =>
  request(p, PacketType.Create, name);
export const createsub = (p: SmqPeer, name: string | Buffer): Promise<number> =>
  request(p, PacketType.Createsub, name);

export function publish(c: Connected, dest: number, payload: string | Buffer, subtid = 0): void {
  c.peer.send(encodePublish(dest, c.etid, subtid, payload));
}

export function observe(p: SmqPeer, id: number): void {
  p.send(encodeIdPacket(PacketType.Observe, id));
}

/** Decoded fields of a received Publish, for readable assertions. */
export function published(p: Buffer): { dest: number; ptid: number; subtid: number; payload: string } {
  if (p[0] !== PacketType.Publish) throw new Error(`not a Publish: ${p.toString('hex')}`);
  return {
    dest: p.readUInt32BE(1),
    ptid: p.readUInt32BE(5),
    subtid: p.readUInt32BE(9),
    payload: p.toString('utf8', 13),
  };
}

export function change(p: Buffer): { id: number; count: number } {
  if (p[0] !== PacketType.Change) throw new Error(`not a Change: ${p.toString('hex')}`);
  return { id: p.readUInt32BE(1), count: p.readUInt32BE(5) };
}
