import { NameRegistry } from './NameRegistry.js';
import { MAX_TID } from './EtidAllocator.js';
import type { Subscriber } from './Subscriber.js';

/** Topic names, their TIDs (2..MAX_TID) and subscribers (distinct connections per TID). */
export class TopicTable {
  readonly names = new NameRegistry(2, MAX_TID);
  private readonly subscribers = new Map<number, Set<Subscriber>>();

  has(tid: number): boolean {
    return this.names.has(tid);
  }

  subscribersOf(tid: number): ReadonlySet<Subscriber> | undefined {
    return this.subscribers.get(tid);
  }

  count(tid: number): number {
    return this.subscribers.get(tid)?.size ?? 0;
  }

  /** Adds a subscriber; true when the count changed (a repeated Subscribe counts once). */
  subscribe(tid: number, s: Subscriber): boolean {
    let set = this.subscribers.get(tid);
    if (!set) {
      set = new Set();
      this.subscribers.set(tid, set);
    }
    const before = set.size;
    set.add(s);
    return set.size !== before;
  }

  /** Removes a subscriber; true when the count changed. */
  unsubscribe(tid: number, s: Subscriber): boolean {
    const set = this.subscribers.get(tid);
    if (!set || !set.delete(s)) return false;
    if (set.size === 0) this.subscribers.delete(tid);
    return true;
  }
}
