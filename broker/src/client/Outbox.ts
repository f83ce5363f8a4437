/** One publish waiting for its ids or for a connection. */
export interface Outgoing {
  payload: Uint8Array;
  topic: string | number;
  subtopic: string | number | undefined;
}

export interface OutboxHost {
  ready(): boolean;
  /** Changes with every new connection; ids fetched on an older one are void. */
  connection(): number;
  /** Destination and sub-topic ids known right now on this connection. */
  idsNow(m: Outgoing): [number, number] | undefined;
  /** Asks the broker for missing ids (Create, Createsub); 0 for one that was denied. */
  fetchIds(m: Outgoing): Promise<[number, number]>;
  send(m: Outgoing, ids: [number, number]): void;
  dropped(): void;
}

/**
 * Keeps publishes in call order: a message whose topic needs a Create first holds back the ones
 * behind it, and messages published while disconnected wait (bounded) for the next connection.
 */
export class Outbox {
  private queue: Outgoing[] = [];
  private pumping = false;

  constructor(
    private readonly max: number,
    private readonly host: OutboxHost,
  ) {}

  publish(m: Outgoing): void {
    const ids = this.queue.length === 0 && this.host.ready() ? this.host.idsNow(m) : undefined;
    if (ids) {
      this.host.send(m, ids);
      return;
    }
    this.queue.push(m);
    if (this.queue.length > this.max) {
      this.queue.shift();
      this.host.dropped();
    }
    void this.pump();
  }

  /** Drops everything queued (the client stopped for good); returns how many. */
  clear(): number {
    const n = this.queue.length;
    this.queue = [];
    return n;
  }

  /** Sends what it can, in order; one loop at a time, resumed after every (re)connect. */
  async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && this.host.ready()) {
        const m = this.queue[0]!;
        const conn = this.host.connection();
        let ids = this.host.idsNow(m);
        if (!ids) {
          const got = await this.host.fetchIds(m);
          // A new connection or a dropped queue head: look again with fresh ids.
          if (conn !== this.host.connection() || this.queue[0] !== m) continue;
          if (got[0] === 0 || (m.subtopic !== undefined && got[1] === 0)) {
            this.queue.shift();
            this.host.dropped();
            continue;
          }
          ids = got;
        }
        this.queue.shift();
        this.host.send(m, ids);
      }
    } finally {
      this.pumping = false;
    }
  }
}
