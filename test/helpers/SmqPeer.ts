import net from 'node:net';
import { WebSocket } from 'ws';
import { PacketType } from '../../broker/src/protocol/constants.js';

/** Where a peer connects: a port on 127.0.0.1, or a host and port (another network namespace). */
export type Target = number | { host: string; port: number };

function hostPort(t: Target): { host: string; port: number } {
  return typeof t === 'number' ? { host: '127.0.0.1', port: t } : t;
}

/** The bytes a C client (and the C LED device) sends to bootstrap raw TCP: HTTP/1.0, no SendSmqHttpResponse. */
export function cClientRequest(path = '/smq.lsp'): string {
  return `GET ${path} HTTP/1.0\r\nHost: 127.0.0.1\r\nSimpleMQ: 1\r\nUser-Agent: SMQ-C-test\r\n\r\n`;
}

/** The request Python, Java and Lua clients send: they ask for the HTTP status block. */
export function httpResponseRequest(path = '/smq.lsp', simpleMq = '1'): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nSimpleMQ: ${simpleMq}\r\nSendSmqHttpResponse: true\r\n\r\n`;
}

/**
 * A test peer speaking SMQ bytes directly, without our client library: packets in and out are
 * unframed (type byte first); the raw variant frames them with the u16 length itself.
 */
export abstract class SmqPeer {
  readonly received: Buffer[] = [];
  closed = false;
  private waiters: (() => void)[] = [];
  private cursor = 0;
  private syncs = 0;
  protected readonly closedPromise: Promise<void>;
  protected resolveClosed!: () => void;

  constructor() {
    this.closedPromise = new Promise((r) => (this.resolveClosed = r));
  }

  abstract send(packet: Uint8Array): void;
  abstract end(): void;

  protected push(p: Buffer): void {
    this.received.push(p);
    this.wake();
  }

  protected markClosed(): void {
    this.closed = true;
    this.resolveClosed();
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The next received packet not yet taken (optionally of one type, skipping nothing else). */
  async next(type?: number, timeout = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeout;
    for (;;) {
      if (this.cursor < this.received.length) {
        const p = this.received[this.cursor++]!;
        if (type !== undefined && p[0] !== type) {
          throw new Error(`expected packet type ${type}, got ${p[0]} (${p.toString('hex')})`);
        }
        return p;
      }
      if (this.closed) throw new Error(`connection closed while waiting for packet type ${type ?? 'any'}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for packet type ${type ?? 'any'}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Packets received and not yet taken by next(). */
  pending(): Buffer[] {
    return this.received.slice(this.cursor);
  }

  /**
   * A barrier: a Createsub with a unique name, then wait for its ack (matched by the echoed name).
   * Everything the node sent to this peer before that ack is then in `received` (one connection
   * keeps order). Returns what was pending before the ack. Not Ping: a stray Pong would pass for it.
   */
  async sync(): Promise<Buffer[]> {
    const name = `~sync${++this.syncs}`;
    this.send(Buffer.concat([Buffer.of(PacketType.Createsub), Buffer.from(name)]));
    const got: Buffer[] = [];
    for (;;) {
      const p = await this.next();
      if (p[0] === PacketType.Createsuback && p.toString('latin1', 6) === name) return got;
      got.push(p);
    }
  }

  async waitClosed(timeout = 5000): Promise<void> {
    let t: NodeJS.Timeout | undefined;
    await Promise.race([
      this.closedPromise,
      new Promise<never>((_, reject) => {
        t = setTimeout(() => reject(new Error('connection not closed in time')), timeout);
      }),
    ]).finally(() => clearTimeout(t));
  }
}

export class RawPeer extends SmqPeer {
  /** Every byte received, unparsed, for byte-level assertions. */
  rawBytes: Buffer = Buffer.alloc(0);
  private parseOffset = 0;
  private framing = false;

  private constructor(readonly socket: net.Socket) {
    super();
    socket.on('data', (chunk: Buffer) => {
      this.rawBytes = Buffer.concat([this.rawBytes, chunk]);
      this.parse();
    });
    socket.on('close', () => this.markClosed());
    socket.on('error', () => {});
  }

  /** Connects and writes the bootstrap request; framing starts after `skipHttp` bytes are seen. */
  static async connect(target: Target, request = cClientRequest()): Promise<RawPeer> {
    const { host, port } = hostPort(target);
    const socket = net.connect(port, host);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const peer = new RawPeer(socket);
    peer.framing = !/SendSmqHttpResponse:\s*true/i.test(request);
    socket.write(request);
    return peer;
  }

  /** The HTTP status block, when the request asked for it (read before any frame). */
  httpHead: string | undefined;

  private parse(): void {
    if (!this.framing) {
      const end = this.rawBytes.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.httpHead = this.rawBytes.toString('latin1', 0, end + 4);
      this.parseOffset = end + 4;
      this.framing = true;
    }
    for (;;) {
      const b = this.rawBytes;
      if (b.length - this.parseOffset < 2) return;
      const size = b.readUInt16BE(this.parseOffset);
      if (size < 3 || b.length - this.parseOffset < size) return;
      this.push(Buffer.from(b.subarray(this.parseOffset + 2, this.parseOffset + size)));
      this.parseOffset += size;
    }
  }

  send(packet: Uint8Array): void {
    const h = Buffer.alloc(2);
    h.writeUInt16BE(packet.length + 2);
    this.socket.write(Buffer.concat([h, packet]));
  }

  sendBytes(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  end(): void {
    this.socket.destroy();
  }
}

export class WsPeer extends SmqPeer {
  private constructor(readonly ws: WebSocket) {
    super();
    ws.on('message', (data: Buffer) => this.push(Buffer.from(data)));
    ws.on('close', () => this.markClosed());
    ws.on('error', () => {});
  }

  static async connect(
    target: Target,
    path = '/smq.lsp',
    headers: Record<string, string> = {},
  ): Promise<WsPeer> {
    const { host, port } = hostPort(target);
    const ws = new WebSocket(`ws://${host}:${port}${path}`, { headers, perMessageDeflate: false });
    const peer = new WsPeer(ws);
    await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return peer;
  }

  send(packet: Uint8Array): void {
    this.ws.send(packet);
  }

  end(): void {
    this.ws.terminate();
  }
}
