import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeNameRequest } from '../../../broker/src/protocol/names.js';
import { encodePublish } from '../../../broker/src/protocol/publish.js';
import { MAX_PAYLOAD } from '../../../broker/src/protocol/constants.js';
import { asBuffer } from '../../../broker/src/node/buffers.js';
import { openFuzzPeer, type FuzzPeer, type FuzzTransport } from './FuzzPeer.js';
import type { Rng } from './rng.js';
import type { Routable } from './Tally.js';

/** A clean client (bystander or publisher) that keeps every packet it gets, and syncs by Ping/Pong. */
export class Watcher {
  readonly got: Buffer[] = [];
  pings = 0;
  pongs = 0;
  private wake: (() => void) | undefined;

  private constructor(
    readonly peer: FuzzPeer,
    readonly etid: number,
  ) {
    peer.onWireError = (what) => this.got.push(Buffer.from(`wire error: ${what}`));
    peer.listen((p) => {
      if (p[0] === PacketType.Pong && p.length === 1) this.pongs++;
      else this.got.push(p);
      const f = this.wake;
      this.wake = undefined;
      f?.();
    });
  }

  static async open(port: number, t: FuzzTransport, uid: Buffer): Promise<Watcher> {
    const peer = await openFuzzPeer(port, t);
    return new Watcher(peer, await peer.handshake(uid));
  }

  get t(): FuzzTransport {
    return this.peer.kind;
  }

  /** Waits for `n` more packets (not Pongs) or the barrier; throws on close or after 10 s. */
  private async until(ok: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!ok()) {
      if (this.peer.closed) throw new Error(`${this.t} watcher ${this.etid} closed waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.t} watcher ${this.etid} timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.wake = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
  }

  /** Ping, then wait for every Pong owed: all the node sent before is in `got`. */
  async sync(): Promise<void> {
    this.pings++;
    this.peer.send(Buffer.of(PacketType.Ping));
    await this.until(() => this.pongs >= this.pings, 'Pong');
  }

  /** Sends a name request and returns its ack (taken out of `got`). */
  async request(type: 4 | 6 | 17, name: string): Promise<number> {
    const before = this.got.length;
    this.peer.send(encodeNameRequest(type, name));
    await this.until(() => this.got.length > before, 'ack');
    const ack = this.got.splice(before, 1)[0]!;
    if (ack[0] !== type + 1 || ack[1] !== 0) throw new Error(`bad ack ${ack.toString('hex')}`);
    return ack.readUInt32BE(2);
  }
}

/** The known sequence: numbered payloads of varied sizes (empty, small, large, the largest). */
export function sequencePayload(i: number, rng: Rng): Buffer {
  if (i % 97 === 5) return Buffer.alloc(0);
  const head = Buffer.from(`seq ${i} `);
  const size = rng.weighted<number>([
    [80, rng.int(0, 64)],
    [18, rng.int(65, 4000)],
    [2, MAX_PAYLOAD - head.length],
  ]);
  return Buffer.concat([head, rng.bytes(size)]);
}

/**
 * Publishes the known sequence to `tid` from clean publishers, alternating, until `stop()`; the raw
 * publisher sends some as PubFrag sequences like the C LED device. Returns what each one published,
 * as the type-8 packet every subscriber must get.
 */
export async function publishSequence(
  pubs: Watcher[],
  tid: number,
  subtid: number,
  rng: Rng,
  routable: Routable,
  stop: () => boolean,
): Promise<Map<number, Buffer[]>> {
  const sent = new Map<number, Buffer[]>(pubs.map((p) => [p.etid, []]));
  for (let i = 0; !stop(); i++) {
    const pub = pubs[i % pubs.length]!;
    const payload = sequencePayload(i, rng);
    const packet = asBuffer(encodePublish(tid, pub.etid, subtid, payload));
    routable.add(packet);
    sent.get(pub.etid)!.push(packet);
    if (pub.t === 'raw' && rng.chance(0.1)) {
      for (let o = 0; o === 0 || o < payload.length; o += 112) {
        const last = o + 112 >= payload.length;
        pub.peer.send(
          encodePublish(last ? tid : 0, pub.etid, subtid, payload.subarray(o, o + 112), PacketType.PubFrag),
        );
      }
    } else pub.peer.send(packet);
    // Interleaved with the fuzzing at a modest pace, so the fuzz lanes keep most of the CPU.
    if (i % 2 === 1) {
      await Promise.all(pubs.map((p) => p.sync()));
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  await Promise.all(pubs.map((p) => p.sync()));
  return sent;
}
