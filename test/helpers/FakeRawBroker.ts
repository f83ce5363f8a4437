import net from 'node:net';
import { expect } from 'vitest';
import { waitFor } from './waitFor.js';

/**
 * A fake broker on raw TCP for byte-level client and device tests: it records every byte each connection sends
 * and writes whatever the test typed out by hand; expect() consumes the stream in order.
 */
export class FakeRawBroker {
  readonly server = net.createServer((s) => this.accept(s));
  readonly sockets: net.Socket[] = [];
  readonly received: Buffer[] = [];
  readonly ended: boolean[] = [];
  private readonly offsets: number[] = [];
  port = 0;

  /** `onConnection` may answer each connection as it comes (write an Init, say). */
  constructor(private readonly onConnection?: (s: net.Socket, index: number) => void) {}

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  private accept(s: net.Socket): void {
    const i = this.sockets.push(s) - 1;
    this.received[i] = Buffer.alloc(0);
    this.offsets[i] = 0;
    this.ended[i] = false;
    s.on('data', (d: Buffer) => (this.received[i] = Buffer.concat([this.received[i]!, d])));
    s.on('end', () => (this.ended[i] = true));
    s.on('error', () => {});
    this.onConnection?.(s, i);
  }

  /** The next bytes the device sent on connection `conn` are exactly `bytes`. */
  async expect(conn: number, bytes: Buffer, what: string): Promise<void> {
    const off = (): number => this.offsets[conn] ?? 0;
    await waitFor(() => (this.received[conn]?.length ?? 0) >= off() + bytes.length, {
      what: `${what} (have ${this.received[conn]?.subarray(off()).toString('hex') ?? 'no connection'})`,
    });
    expect(this.received[conn]!.subarray(off(), off() + bytes.length).toString('hex'), what).toBe(
      bytes.toString('hex'),
    );
    this.offsets[conn] = off() + bytes.length;
  }

  /** Bytes received past what expect() consumed. */
  rest(conn: number): string {
    return this.received[conn]!.subarray(this.offsets[conn]).toString('hex');
  }

  send(conn: number, bytes: Buffer): void {
    this.sockets[conn]!.write(bytes);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
