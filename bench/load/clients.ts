import { encodeConnect, encodeNameRequest, PacketType } from '@smq-cc/broker';
import type { Proto } from '../lib/types.js';
import { BODY_SIZE, Conn } from './conn.js';

/** What a load-generator client does on its topic: receive it, publish to it, or just hold. */
export interface ClientSpec {
  uid: string;
  subscribe?: string;
  publish?: string;
}

export async function connectClient(proto: Proto, port: number, spec: ClientSpec): Promise<Conn> {
  switch (proto) {
    case 'relay':
      return RelayConn.open(port, spec);
    case 'smq-ws':
      return SmqWsConn.open(port, spec);
    case 'smq-raw':
      return SmqRawConn.open(port, spec);
    case 'mqtt':
      return MqttConn.open(port, spec);
  }
}

/** A masked binary WebSocket frame (mask key 0, so the payload bytes stay as they are). */
function wsFrame(payload: Buffer): Buffer {
  if (payload.length >= 126) throw new RangeError('bench frames stay under 126 bytes');
  return Buffer.concat([Buffer.of(0x82, 0x80 | payload.length, 0, 0, 0, 0), payload]);
}

interface WsReceiver {
  message(buf: Buffer, start: number, end: number, now: number): void;
  send(buf: Buffer): void;
}

/** WebSocket client-side parsing: server frames are unmasked; one binary message per frame here. */
function parseWs(c: WsReceiver, buf: Buffer, off: number, end: number, now: number): number {
  while (end - off >= 2) {
    let len = buf[off + 1]! & 0x7f;
    let hdr = 2;
    if (len === 126) {
      if (end - off < 4) break;
      len = buf.readUInt16BE(off + 2);
      hdr = 4;
    } else if (len === 127) {
      if (end - off < 10) break;
      len = buf.readUInt32BE(off + 6);
      hdr = 10;
    }
    if (end - off < hdr + len) break;
    const opcode = buf[off]! & 0x0f;
    if (opcode === 2 || opcode === 0) c.message(buf, off + hdr, off + hdr + len, now);
    else if (opcode === 9) c.send(Buffer.of(0x8a, 0x80, 0, 0, 0, 0));
    off += hdr + len;
  }
  return off;
}

/** Target (a): the bare relay carries the 64-byte body alone; the topic is the URL. */
class RelayConn extends Conn implements WsReceiver {
  static async open(port: number, spec: ClientSpec): Promise<RelayConn> {
    const channel = spec.subscribe ?? spec.publish ?? '/hold';
    const c = new RelayConn();
    await c.wsConnect(port, spec.subscribe ? channel : `${channel}?pub`);
    c.template = wsFrame(Buffer.alloc(BODY_SIZE));
    c.bodyOffset = 6;
    return c;
  }

  protected parse(buf: Buffer, off: number, end: number, now: number): number {
    return parseWs(this, buf, off, end, now);
  }

  message(buf: Buffer, start: number, end: number, now: number): void {
    if (end - start >= BODY_SIZE) this.onBody(buf, start, now);
  }
}

/** The SMQ handshake shared by both transports: Init → Connect → Connack, then Subscribe/Create. */
abstract class SmqConn extends Conn {
  etid = 0;

  protected abstract sendPacket(packet: Buffer): void;
  protected abstract frameTemplate(packet: Buffer): { template: Buffer; bodyOffset: number };

  protected packet(buf: Buffer, start: number, end: number, now: number): void {
    if (buf[start] === PacketType.Publish) this.onBody(buf, start + 13, now);
    else this.control(buf, start, end);
  }

  protected async handshake(spec: ClientSpec): Promise<void> {
    const init = await this.nextControl();
    if (init[0] !== PacketType.Init) throw new Error(`expected Init, got type ${init[0]}`);
    const connack = this.request(encodeConnect({ version: 2, uid: spec.uid.padEnd(6, '_') }));
    const ack = await connack;
    if (ack[0] !== PacketType.Connack || ack[1] !== 0) throw new Error(`Connack refused (${ack[1]})`);
    this.etid = ack.readUInt32BE(2);
    if (spec.subscribe) await this.ackedTid(PacketType.Subscribe, spec.subscribe);
    if (spec.publish) {
      const tid = await this.ackedTid(PacketType.Create, spec.publish);
      const packet = Buffer.alloc(13 + BODY_SIZE);
      packet[0] = PacketType.Publish;
      packet.writeUInt32BE(tid, 1);
      packet.writeUInt32BE(this.etid, 5);
      const t = this.frameTemplate(packet);
      this.template = t.template;
      this.bodyOffset = t.bodyOffset;
    }
  }

  /** Codecs may hand back a Uint8Array or a Buffer, depending on the broker build. */
  private request(packet: Uint8Array): Promise<Buffer> {
    const answer = this.nextControl();
    this.sendPacket(Buffer.from(packet));
    return answer;
  }

  private async ackedTid(type: typeof PacketType.Subscribe | typeof PacketType.Create, name: string) {
    const ack = await this.request(encodeNameRequest(type, name));
    if (ack.length < 6 || ack[1] !== 0) throw new Error(`${name}: ack type ${ack[0]} status ${ack[1]}`);
    return ack.readUInt32BE(2);
  }
}

/** Target (d): our node over WebSocket, one SMQ packet per binary message. */
class SmqWsConn extends SmqConn implements WsReceiver {
  static async open(port: number, spec: ClientSpec): Promise<SmqWsConn> {
    const c = new SmqWsConn();
    await c.wsConnect(port, '/smq.lsp');
    await c.handshake(spec);
    return c;
  }

  protected parse(buf: Buffer, off: number, end: number, now: number): number {
    return parseWs(this, buf, off, end, now);
  }

  message(buf: Buffer, start: number, end: number, now: number): void {
    this.packet(buf, start, end, now);
  }

  protected sendPacket(packet: Buffer): void {
    this.send(wsFrame(packet));
  }

  protected frameTemplate(packet: Buffer) {
    return { template: wsFrame(packet), bodyOffset: 6 + 13 };
  }
}

/** Target (e): our node over raw TCP, bootstrapped exactly as the C client does. */
class SmqRawConn extends SmqConn {
  static async open(port: number, spec: ClientSpec): Promise<SmqRawConn> {
    const c = new SmqRawConn();
    await c.dial(port);
    c.send('GET /smq.lsp HTTP/1.0\r\nHost: 127.0.0.1\r\nSimpleMQ: 1\r\n\r\n');
    await c.handshake(spec);
    return c;
  }

  protected parse(buf: Buffer, off: number, end: number, now: number): number {
    while (end - off >= 2) {
      const len = buf.readUInt16BE(off);
      if (len < 3) {
        this.close();
        return end;
      }
      if (end - off < len) break;
      this.packet(buf, off + 2, off + len, now);
      off += len;
    }
    return off;
  }

  protected sendPacket(packet: Buffer): void {
    const head = Buffer.allocUnsafe(2);
    head.writeUInt16BE(packet.length + 2, 0);
    this.send(Buffer.concat([head, packet]));
  }

  protected frameTemplate(packet: Buffer) {
    const head = Buffer.allocUnsafe(2);
    head.writeUInt16BE(packet.length + 2, 0);
    return { template: Buffer.concat([head, packet]), bodyOffset: 2 + 13 };
  }
}

/** Targets (b) and (c): MQTT 3.1.1, QoS 0, clean session, no keepalive. */
class MqttConn extends Conn {
  static async open(port: number, spec: ClientSpec): Promise<MqttConn> {
    const c = new MqttConn();
    await c.dial(port);
    const id = Buffer.from(spec.uid);
    const connect = Buffer.concat([
      Buffer.of(0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x00),
      u16(id.length),
      id,
    ]);
    const connack = await c.request(mqttPacket(0x10, connect));
    if (connack[0] !== 0x20 || connack[3] !== 0) throw new Error(`CONNACK refused (${connack[3]})`);
    if (spec.subscribe) {
      const topic = Buffer.from(spec.subscribe);
      const body = Buffer.concat([u16(1), u16(topic.length), topic, Buffer.of(0)]);
      const suback = await c.request(mqttPacket(0x82, body));
      if (suback[0] !== 0x90 || suback[4] === 0x80) throw new Error(`SUBACK refused for ${spec.subscribe}`);
    }
    if (spec.publish) {
      const topic = Buffer.from(spec.publish);
      c.template = mqttPacket(0x30, Buffer.concat([u16(topic.length), topic, Buffer.alloc(BODY_SIZE)]));
      c.bodyOffset = c.template.length - BODY_SIZE;
    }
    return c;
  }

  private request(packet: Buffer): Promise<Buffer> {
    const answer = this.nextControl();
    this.send(packet);
    return answer;
  }

  protected parse(buf: Buffer, off: number, end: number, now: number): number {
    for (;;) {
      let p = off + 1;
      let len = 0;
      let shift = 0;
      let complete = false;
      while (p < end && shift <= 21) {
        const b = buf[p++]!;
        len |= (b & 0x7f) << shift;
        shift += 7;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || end - p < len) return off;
      const type = buf[off]! >> 4;
      if (type === 3) {
        const qos = (buf[off]! >> 1) & 3;
        const bodyStart = p + 2 + buf.readUInt16BE(p) + (qos > 0 ? 2 : 0);
        if (p + len - bodyStart >= BODY_SIZE) this.onBody(buf, bodyStart, now);
      } else this.control(buf, off, p + len);
      off = p + len;
    }
  }
}

function u16(n: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n, 0);
  return b;
}

/** Fixed header (type/flags, remaining length as a varint) and body. */
function mqttPacket(first: number, body: Buffer): Buffer {
  const len: number[] = [];
  let n = body.length;
  do {
    let b = n & 0x7f;
    n >>= 7;
    if (n > 0) b |= 0x80;
    len.push(b);
  } while (n > 0);
  return Buffer.concat([Buffer.of(first, ...len), body]);
}
