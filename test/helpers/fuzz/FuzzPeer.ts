import net from 'node:net';
import { WebSocket } from 'ws';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';
import { cClientRequest, httpResponseRequest } from '../SmqPeer.js';

export type FuzzTransport = 'raw' | 'ws';

/**
 * A byte-level SMQ peer for long fuzz runs: packets are handed to `onPacket` as they arrive (no
 * history kept, so a bystander can take thousands of messages), and the sender controls framing.
 * Parses the node's output independently of the broker's own decoder.
 */
export abstract class FuzzPeer {
  abstract readonly kind: FuzzTransport;
  /** Packets that arrived before the owner set its handler (Init, or a Publish right after Connack). */
  backlog: Buffer[] = [];
  onPacket: (p: Buffer) => void = (p) => this.backlog.push(p);
  /** Something the node wrote that is not a well-formed SMQ packet stream. */
  onWireError: (what: string) => void = () => {};
  closed = false;
  readonly whenClosed: Promise<void>;
  private resolveClosed!: () => void;

  constructor() {
    this.whenClosed = new Promise((r) => (this.resolveClosed = r));
  }

  /** Sends one packet with honest framing. */
  abstract send(p: Uint8Array): void;
  /** Closes our side politely (FIN / WebSocket close); the node decides the rest. */
  abstract halfClose(): void;
  /** Tears the connection down at once. */
  abstract end(): void;

  protected markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.resolveClosed();
  }

  /** Sets the packet handler and hands it what arrived since Connack. */
  listen(handler: (p: Buffer) => void): void {
    this.onPacket = handler;
    const b = this.backlog;
    this.backlog = [];
    for (const p of b) handler(p);
  }

  /** Valid handshake: Init, Connect v2 (max-frame 0), Connack 0. Returns the ETID. */
  async handshake(uid: Buffer, timeout = 5000): Promise<number> {
    const packets: Buffer[] = [];
    let wake: (() => void) | undefined;
    this.listen((p) => {
      packets.push(p);
      wake?.();
    });
    const deadline = Date.now() + timeout;
    const next = async (): Promise<Buffer> => {
      while (packets.length === 0) {
        if (this.closed) throw new Error('closed during the handshake');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('handshake timed out');
        await Promise.race([
          new Promise<void>((r) => (wake = r)),
          this.whenClosed,
          new Promise<void>((r) => setTimeout(r, left).unref()),
        ]);
      }
      return packets.shift()!;
    };
    const init = await next();
    if (init[0] !== PacketType.Init) throw new Error(`expected Init, got ${init.toString('hex')}`);
    this.send(encodeConnect({ version: 2, maxFrame: 0, uid, credentials: Buffer.alloc(0), info: 'fuzz' }));
    const ack = await next();
    if (ack[0] !== PacketType.Connack || ack[1] !== 0 || ack.length !== 6)
      throw new Error(`expected Connack 0, got ${ack.toString('hex')}`);
    // Anything after Connack (a Publish to an inherited ETID) waits for the owner's handler.
    this.backlog = packets;
    this.onPacket = (p) => this.backlog.push(p);
    return ack.readUInt32BE(2);
  }
}

export class RawFuzzPeer extends FuzzPeer {
  readonly kind = 'raw';
  private buf: Buffer = Buffer.alloc(0);
  private inHead: boolean;

  private constructor(
    readonly socket: net.Socket,
    httpHead: boolean,
  ) {
    super();
    this.inHead = httpHead;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.markClosed());
    socket.on('error', () => {});
  }

  /** Bootstraps like the C client, or (withHttp) like Python/Java/Lua with the HTTP status block. */
  static async connect(port: number, withHttp = false): Promise<RawFuzzPeer> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const peer = new RawFuzzPeer(socket, withHttp);
    socket.write(withHttp ? httpResponseRequest() : cClientRequest());
    return peer;
  }

  private onData(chunk: Buffer): void {
    let b = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.inHead) {
      const end = b.indexOf('\r\n\r\n');
      if (end < 0) {
        this.buf = b;
        return;
      }
      b = b.subarray(end + 4);
      this.inHead = false;
    }
    let o = 0;
    while (b.length - o >= 2) {
      const size = b.readUInt16BE(o);
      if (size < 3) {
        this.onWireError(`frame length ${size} from the node`);
        this.socket.destroy();
        return;
      }
      if (b.length - o < size) break;
      this.onPacket(Buffer.from(b.subarray(o + 2, o + size)));
      o += size;
    }
    this.buf = o === b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(o));
  }

  send(p: Uint8Array): void {
    this.writeRaw(frameOf(p));
  }

  writeRaw(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  halfClose(): void {
    if (!this.socket.destroyed) this.socket.end();
  }

  end(): void {
    this.socket.destroy();
  }
}

export class WsFuzzPeer extends FuzzPeer {
  readonly kind = 'ws';

  private constructor(readonly ws: WebSocket) {
    super();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) this.onWireError(`text message from the node: ${data.toString('hex')}`);
      else if (data.length === 0) this.onWireError('empty message from the node');
      else this.onPacket(data);
    });
    ws.on('close', () => this.markClosed());
    ws.on('error', () => {});
  }

  static async connect(port: number): Promise<WsFuzzPeer> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/smq.lsp`, { perMessageDeflate: false });
    const peer = new WsFuzzPeer(ws);
    await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return peer;
  }

  private get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(p: Uint8Array): void {
    if (this.open) this.ws.send(p, { binary: true });
  }

  /** One message in several WebSocket frames (continuations). */
  sendFragmented(p: Buffer, cuts: number[]): void {
    if (!this.open) return;
    let from = 0;
    for (const cut of cuts) {
      this.ws.send(p.subarray(from, cut), { binary: true, fin: false });
      from = cut;
    }
    this.ws.send(p.subarray(from), { binary: true, fin: true });
  }

  sendText(p: Buffer): void {
    if (this.open) this.ws.send(p.toString('latin1'), { binary: false });
  }

  halfClose(): void {
    if (this.open) this.ws.close(1000);
  }

  end(): void {
    this.ws.terminate();
  }
}

export function frameOf(p: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(p.length + 2);
  out.writeUInt16BE(p.length + 2, 0);
  out.set(p, 2);
  return out;
}

export async function openFuzzPeer(port: number, t: FuzzTransport, withHttp = false): Promise<FuzzPeer> {
  return t === 'raw' ? RawFuzzPeer.connect(port, withHttp) : WsFuzzPeer.connect(port);
}
