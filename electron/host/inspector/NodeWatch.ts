import WebSocket from 'ws';
import {
  ADMIN_WS_PATH,
  type AdminFrame,
  type AdminRequest,
  type AdminTopic,
  type TapScope,
  type TappingFrame,
  type WireTapEvent,
} from '../../../broker/src/admin/adminWire.js';

export interface NodeWatchHandlers {
  tap(events: WireTapEvent[], skipped: number, captureBytes: number): void;
  topics(topics: AdminTopic[]): void;
  /** Once per node: it predates lifecycle-only taps, so its tap is off while nobody reads. */
  noLifecycleTap(): void;
}

const RETRY_MS = 500;
const TOPICS_MS = 1000;

/**
 * The host's admin WebSocket to one node: the tap (always on: lifecycle-only until the hub asks
 * for all) and a topics listing every second. Redials while the node is meant to be up, since
 * nodes restart on the same port; each new socket asks for the tap again.
 */
export class NodeWatch {
  private ws: WebSocket | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly topicsTimer: NodeJS.Timeout;
  private tapping: { scope: TapScope; captureBytes: number };
  private closed = false;
  private nextId = 1;
  private toldNoLifecycle = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    /** The CA of a wss:// node (the host's own TLS cluster). */
    private readonly ca: string | undefined,
    private readonly handlers: NodeWatchHandlers,
    tap: { scope: TapScope; captureBytes: number },
  ) {
    this.tapping = tap;
    this.dial();
    this.topicsTimer = setInterval(() => this.send({ op: 'topics', id: this.nextId++ }), TOPICS_MS);
  }

  setTap(scope: TapScope, captureBytes: number): void {
    this.tapping = { scope, captureBytes };
    this.send({ op: 'tap', on: true, scope, captureBytes });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    clearInterval(this.topicsTimer);
    this.ws?.terminate();
  }

  private dial(): void {
    if (this.closed) return;
    const ws = new WebSocket(`${this.url}${ADMIN_WS_PATH}`, {
      headers: { authorization: `Bearer ${this.token}` },
      perMessageDeflate: false,
      ca: this.ca,
    });
    this.ws = ws;
    ws.on('open', () => this.send({ op: 'tap', on: true, ...this.tapping }));
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onFrame(JSON.parse(String(data)) as AdminFrame);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws !== ws || this.closed) return;
      this.ws = undefined;
      this.retry = setTimeout(() => this.dial(), RETRY_MS);
    });
  }

  private onFrame(frame: AdminFrame): void {
    if (frame.t === 'tap') this.handlers.tap(frame.events, frame.skipped, this.tapping.captureBytes);
    else if (frame.t === 'topics') this.handlers.topics(frame.topics);
    else if (frame.t === 'tapping') this.onTapping(frame);
  }

  /**
   * A node from before tap scopes drops `scope`, taps everything and acks without one: a
   * lifecycle-only ask is turned off there, or a cluster the host does not run would stream every
   * publish to a host that throws them away. Such a node then keeps no lifecycle history.
   */
  private onTapping(ack: TappingFrame): void {
    if (!ack.on || ack.scope !== undefined || this.tapping.scope !== 'lifecycle') return;
    this.send({ op: 'tap', on: false });
    if (this.toldNoLifecycle) return;
    this.toldNoLifecycle = true;
    this.handlers.noLifecycleTap();
  }

  private send(request: AdminRequest): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(request));
  }
}
