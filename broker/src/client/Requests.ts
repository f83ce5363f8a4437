import { encodeNameRequest, type NameRequestType } from '../protocol/index.js';
import { nameKey } from './wire.js';

interface Outstanding {
  name: string;
  waiters: ((id: number) => void)[];
  /** Connection generation it was sent on; a new connection sends it again. */
  sentOn: number;
}

/**
 * Subscribe/Create/Createsub requests waiting for their ack. The broker acks each request once, in
 * order, echoing the name, so acks are matched by (request type, name) and one request per name is
 * in flight at a time however many callers wait. A request not acked when its connection dropped
 * stays here and is sent again on the next connection (TIDs are per node: the old answer is void).
 */
export class Requests {
  private readonly table = new Map<NameRequestType, Map<string, Outstanding>>();

  constructor(private readonly send: (packet: Uint8Array) => boolean) {}

  /** Resolves with the id from the ack, 0 when denied or when the client stops for good. */
  request(type: NameRequestType, name: string, gen: number | undefined): Promise<number> {
    let byName = this.table.get(type);
    if (!byName) this.table.set(type, (byName = new Map()));
    const key = nameKey(name);
    let o = byName.get(key);
    if (!o) byName.set(key, (o = { name, waiters: [], sentOn: -1 }));
    const entry = o;
    const p = new Promise<number>((resolve) => entry.waiters.push(resolve));
    if (gen !== undefined && entry.sentOn !== gen && this.send(encodeNameRequest(type, name))) {
      entry.sentOn = gen;
    }
    return p;
  }

  /** After Connack: sends every request the new connection has not seen. */
  resend(gen: number): void {
    for (const [type, byName] of this.table) {
      for (const o of byName.values()) {
        if (o.sentOn !== gen && this.send(encodeNameRequest(type, o.name))) o.sentOn = gen;
      }
    }
  }

  /** Settles the waiters of an ack; false when nothing was outstanding for it. */
  settle(type: NameRequestType, name: string, id: number): boolean {
    const byName = this.table.get(type);
    const o = byName?.get(name);
    if (!o) return false;
    byName!.delete(name);
    for (const w of o.waiters) w(id);
    return true;
  }

  /** The client stopped for good: every waiter gets 0 ("none"), nobody hangs. */
  abandon(): void {
    for (const byName of this.table.values())
      for (const o of byName.values()) for (const w of o.waiters) w(0);
    this.table.clear();
  }
}
