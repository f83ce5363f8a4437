import type { WebSocket } from 'ws';
import { encodeFrames } from './linkCodec.js';
import { newLinkCounters, type LinkState } from './linkInfo.js';

/**
 * Largest Batch frame a link sends (the acceptor's ws takes up to 16 MiB per frame). A turn that
 * writes more sends a frame each time it reaches this, so at most this much waits for the turn.
 */
const MAX_BATCH_FRAME = 256 * 1024;

/**
 * The sending half of a cluster link: its state, its counters, and the per-turn batching.
 *
 * Once up, what the link writes in one event-loop turn goes out as one frame at its end
 * (setImmediate, never a timer): a Batch when there is more than one message. At 10k forwarded
 * publishes/s that is one ws.send, one frame to mask and parse, per turn instead of per message.
 * Order is the order of the writes. The turn holds at most MAX_BATCH_FRAME, shown in pendingBytes.
 *
 * A base class of ClusterLink rather than an object it holds: a publish's write stays one direct
 * method call on the link, with no extra hop or closure per message.
 */
export abstract class LinkOutbound {
  state: LinkState = 'handshake';
  protected readonly s = newLinkCounters();
  /** Messages written this turn (link up), framed and sent by flush() at its end. */
  private turn: Buffer[] = [];
  private turnBytes = 0;
  private flushing: NodeJS.Immediate | undefined;

  constructor(protected readonly ws: WebSocket) {}

  protected pendingBytes(): number {
    return this.ws.bufferedAmount + this.turnBytes;
  }

  /** Up: held for the end of the turn. During the handshake: sent at once, alone. */
  protected write(msg: Buffer): void {
    if (this.ws.readyState !== 1) return;
    this.s.msgsOut++;
    this.s.bytesOut += msg.length;
    if (this.state !== 'up') {
      this.sendFrame(msg);
      return;
    }
    this.turn.push(msg);
    this.turnBytes += msg.length;
    if (this.turnBytes >= MAX_BATCH_FRAME) this.flush();
    else
      this.flushing ??= setImmediate(() => {
        this.flushing = undefined;
        this.flush();
      });
  }

  /** Sends what this turn wrote so far: one frame, or several when over MAX_BATCH_FRAME. */
  protected flush(): void {
    const msgs = this.turn;
    if (msgs.length === 0) return;
    this.turn = [];
    this.turnBytes = 0;
    for (const frame of encodeFrames(msgs, MAX_BATCH_FRAME)) this.sendFrame(frame);
  }

  protected sendFrame(frame: Buffer): void {
    if (this.ws.readyState !== 1) return;
    this.s.framesOut++;
    this.ws.send(frame);
  }

  /** The link is down: what this turn wrote is never sent. */
  protected dropTurn(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    this.turn = [];
    this.turnBytes = 0;
  }
}
