import net from 'node:net';
import { performance } from 'node:perf_hooks';

/** Called for each delivered benchmark message: its 64-byte body starts at `buf[off]`. */
export type BodySink = (buf: Buffer, off: number, now: number) => void;

const noBody: BodySink = () => undefined;

/** Size of the benchmark body every target carries. */
export const BODY_SIZE = 64;

/**
 * Every connection reads into this one buffer (`onread`): each read is parsed at once, before the
 * next, and only an incomplete tail is copied. This skips the stream machinery per read, which at
 * one small TCP segment per message would otherwise cost the load generator more than the broker.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * One lean load-generator connection. The clients here are hand-written for every target (WebSocket
 * frames, MQTT packets, SMQ frames), so no target is measured through a heavier client library than
 * another, and the load generator stays well below the broker's cost per message.
 */
export abstract class Conn {
  onBody: BodySink = noBody;
  closed = false;
  /** Bytes of one framed message this client publishes, its body at `bodyOffset`. */
  template: Buffer = Buffer.alloc(0);
  bodyOffset = 0;
  protected socket: net.Socket | undefined;
  private rest: Buffer | undefined;
  /** While set, bytes go to an HTTP response head reader instead of the packet parser. */
  private headReader: ((data: Buffer) => void) | undefined;
  private waiters: { resolve: (p: Buffer) => void; reject: (e: Error) => void }[] = [];
  /** Control packets that arrived before anyone waited for them (Init right after the upgrade). */
  private early: Buffer[] = [];
  private failure: Error | undefined;

  /** Parses complete packets in buf[off, end); returns the offset after the last complete one. */
  protected abstract parse(buf: Buffer, off: number, end: number, now: number): number;

  /** Opens the TCP connection to the broker on 127.0.0.1. */
  protected dial(port: number, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({
        port,
        host: '127.0.0.1',
        noDelay: true,
        onread: {
          buffer: READ_BUFFER,
          callback: (n: number) => {
            this.onRead(READ_BUFFER, n);
            return true;
          },
        },
      });
      this.socket = socket;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('connect timed out'));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
        this.fail(err);
      });
      socket.on('close', () => {
        this.closed = true;
        this.fail(new Error('connection closed'));
      });
    });
  }

  /** Opens a WebSocket: the upgrade request, then frames from the first byte after the 101 head. */
  protected async wsConnect(port: number, path: string): Promise<void> {
    await this.dial(port);
    const head = this.readHead();
    this.send(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const status = (await head).split('\r\n')[0] ?? '';
    if (!/^HTTP\/1\.1 101/.test(status)) {
      this.close();
      throw new Error(`WebSocket upgrade refused: ${status}`);
    }
  }

  send(buf: Buffer | string): void {
    this.socket?.write(buf);
  }

  close(): void {
    this.socket?.destroy();
  }

  /** Reads an HTTP response head; resolves with it. Bytes after it go to the packet parser. */
  protected readHead(timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => reject(new Error('no HTTP response')), timeoutMs);
      this.headReader = (data) => {
        buf = Buffer.concat([buf, data]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        this.headReader = undefined;
        resolve(buf.subarray(0, end).toString('latin1'));
        if (end + 4 < buf.length) this.onRead(buf.subarray(end + 4), buf.length - end - 4);
      };
    });
  }

  /** Resolves with the next control packet (acks arrive in request order). */
  protected nextControl(timeoutMs = 10_000): Promise<Buffer> {
    const early = this.early.shift();
    if (early) return Promise.resolve(early);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer from the broker')), timeoutMs);
      this.waiters.push({
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** A packet that is not a benchmark message: hands a copy to the oldest waiter. */
  protected control(buf: Buffer, start: number, end: number): void {
    const packet = Buffer.from(buf.subarray(start, end));
    const w = this.waiters.shift();
    if (w) w.resolve(packet);
    else this.early.push(packet);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  private onRead(chunk: Buffer, n: number): void {
    if (this.headReader) {
      this.headReader(Buffer.from(chunk.subarray(0, n)));
      return;
    }
    let buf = chunk;
    let end = n;
    if (this.rest) {
      buf = Buffer.concat([this.rest, chunk.subarray(0, n)]);
      end = buf.length;
      this.rest = undefined;
    }
    const used = this.parse(buf, 0, end, performance.now());
    if (used < end) this.rest = Buffer.from(buf.subarray(used, end));
  }
}
