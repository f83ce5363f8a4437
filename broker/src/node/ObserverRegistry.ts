import type { Observer } from './Subscriber.js';
import type { ChangeTarget } from './tap.js';

/** Told of every Change sent (the node taps it while someone listens). */
export type ChangeSent = (o: Observer, id: number, target: ChangeTarget, count: number) => void;

/**
 * Who observes which id. TIDs and ETIDs live in disjoint ranges, so one map serves both; each
 * observer's own list of observed ids is kept by the registry for cleanup when it closes.
 */
export class ObserverRegistry {
  private readonly byId = new Map<number, Set<Observer>>();
  private readonly byObserver = new Map<Observer, Set<number>>();

  constructor(private readonly changeSent: ChangeSent = () => {}) {}

  add(id: number, o: Observer): void {
    let set = this.byId.get(id);
    if (!set) {
      set = new Set();
      this.byId.set(id, set);
    }
    set.add(o);
    let ids = this.byObserver.get(o);
    if (!ids) {
      ids = new Set();
      this.byObserver.set(o, ids);
    }
    ids.add(id);
  }

  /** False when `o` did not observe `id`. */
  remove(id: number, o: Observer): boolean {
    const set = this.byId.get(id);
    if (set?.delete(o) && set.size === 0) this.byId.delete(id);
    const ids = this.byObserver.get(o);
    if (!ids?.delete(id)) return false;
    if (ids.size === 0) this.byObserver.delete(o);
    return true;
  }

  /** Sends one Change(id, count) to `o`: every Change the node sends goes through here. */
  tell(o: Observer, id: number, target: ChangeTarget, count: number): void {
    o.sendChange(id, count);
    this.changeSent(o, id, target, count);
  }

  /** Forgets everything `o` observed (it closed). */
  removeObserver(o: Observer): void {
    const ids = this.byObserver.get(o);
    if (!ids) return;
    for (const id of ids) {
      const set = this.byId.get(id);
      if (set?.delete(o) && set.size === 0) this.byId.delete(id);
    }
    this.byObserver.delete(o);
  }

  /** Sends Change(id, count) to every observer of `id`. */
  notify(id: number, count: number): void {
    const set = this.byId.get(id);
    if (!set) return;
    for (const o of set) this.tell(o, id, 'topic', count);
  }

  /** Sends Change(etid, 0) to every observer of a gone ETID, then forgets them (spec rule 7). */
  notifyGone(etid: number): void {
    const set = this.byId.get(etid);
    if (!set) return;
    this.byId.delete(etid);
    for (const o of set) {
      const ids = this.byObserver.get(o);
      if (ids?.delete(etid) && ids.size === 0) this.byObserver.delete(o);
      this.tell(o, etid, 'etid', 0);
    }
  }

  observerCount(id: number): number {
    return this.byId.get(id)?.size ?? 0;
  }
}
