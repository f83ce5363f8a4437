import type net from 'node:net';
import { WebSocket } from 'ws';
import {
  ADMIN_WS_PATH,
  type AdminFrame,
  type AdminRequest,
  type TapScope,
  type WirePublishEvent,
  type WireTapEvent,
} from '../../../broker/src/admin/adminWire.js';
import { waitFor } from '../../helpers/waitFor.js';

export const TOKEN = 'admin-token-for-tests';

type FrameOf<T extends AdminFrame['t']> = Extract<AdminFrame, { t: T }>;

/** An operator's admin WebSocket to one node, keeping every frame it got for assertions. */
export class AdminWs {
  readonly frames: AdminFrame[] = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.frames.push(JSON.parse(data.toString()) as AdminFrame));
    ws.on('close', () => (this.closed = true));
    ws.on('error', () => {});
  }

  static async open(port: number, token = TOKEN): Promise<AdminWs> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${ADMIN_WS_PATH}`, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
    });
    const admin = new AdminWs(ws);
    await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await admin.next('hello');
    return admin;
  }

  /** The HTTP status an upgrade gets, or 101 when it opened. */
  static async upgradeStatus(port: number, headers: Record<string, string>): Promise<number> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${ADMIN_WS_PATH}`, { headers });
    return new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('open', () => {
        resolve(101);
        ws.close();
      });
      ws.once('error', () => {});
    });
  }

  send(req: AdminRequest): void {
    this.ws.send(JSON.stringify(req));
  }

  /** The first frame of type `t` (matching `pred`) received so far or next. */
  async next<T extends AdminFrame['t']>(
    t: T,
    pred: (f: FrameOf<T>) => boolean = () => true,
    timeout = 5000,
  ): Promise<FrameOf<T>> {
    return waitFor(() => this.frames.find((f): f is FrameOf<T> => f.t === t && pred(f as FrameOf<T>)), {
      timeout,
      what: `an admin frame ${t}`,
    });
  }

  /** Turns the tap on (in `scope`, the node's default when absent) or off and waits for the node's answer. */
  async tap(on: boolean, captureBytes?: number, scope?: TapScope): Promise<void> {
    const id = `tap-${this.frames.length}-${Math.random()}`;
    const req: AdminRequest = { op: 'tap', on, id };
    if (captureBytes !== undefined) req.captureBytes = captureBytes;
    if (scope !== undefined) req.scope = scope;
    this.send(req);
    await this.next('tapping', (f) => f.id === id);
  }

  tapFrames(): FrameOf<'tap'>[] {
    return this.frames.filter((f): f is FrameOf<'tap'> => f.t === 'tap');
  }

  events(): WireTapEvent[] {
    return this.tapFrames().flatMap((f) => f.events);
  }

  publishes(topic?: string): WirePublishEvent[] {
    return this.events().filter(
      (e): e is WirePublishEvent => e.kind === 'publish' && (topic === undefined || e.topic === topic),
    );
  }

  skipped(): number {
    return this.tapFrames().reduce((n, f) => n + f.skipped, 0);
  }

  /** Waits for a tap event matching `pred`. */
  async event(pred: (e: WireTapEvent) => boolean, what = 'a tap event'): Promise<WireTapEvent> {
    return waitFor(() => this.events().find(pred), { what });
  }

  /** Waits for a publish event matching `pred`. */
  async publish(pred: (e: WirePublishEvent) => boolean, what = 'a publish event'): Promise<WirePublishEvent> {
    return waitFor(() => this.publishes().find(pred), { what });
  }

  /** The TCP socket under the WebSocket, to stop reading (pause) as a slow operator would. */
  get socket(): net.Socket {
    return (this.ws as unknown as { _socket: net.Socket })._socket;
  }

  close(): void {
    this.ws.terminate();
  }
}
