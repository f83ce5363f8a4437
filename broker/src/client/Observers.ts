import type { ChangeHandler } from './types.js';

/**
 * Observations by key: a topic NAME (re-observed by name after a reconnect) or an ETID number.
 * Remembers which keys were observed on the current connection so a restore never sends twice.
 */
export class Observers {
  private readonly handlers = new Map<string | number, ChangeHandler>();
  private readonly sent = new Set<string | number>();

  set(key: string | number, onchange: ChangeHandler): void {
    this.handlers.set(key, onchange);
  }

  has(key: string | number): boolean {
    return this.handlers.has(key);
  }

  keys(): IterableIterator<string | number> {
    return this.handlers.keys();
  }

  /** Forgets a key; true when an Unobserve is due (it was observed on this connection). */
  delete(key: string | number): boolean {
    this.handlers.delete(key);
    return this.sent.delete(key);
  }

  /** True the first time per connection: the caller then sends Observe. */
  markSent(key: string | number): boolean {
    if (this.sent.has(key)) return false;
    this.sent.add(key);
    return true;
  }

  connectionEnded(): void {
    this.sent.clear();
  }

  /** Change(id, count): `topic` is the name when id is a known TID on this connection. */
  change(id: number, count: number, topic: string | undefined): void {
    const onTopic = topic === undefined ? undefined : this.handlers.get(topic);
    if (onTopic) return onTopic(count, topic!);
    const onEtid = this.handlers.get(id);
    // An ETID reported gone is gone for good: the observation ends, as in the published client.
    if (onEtid && count === 0) this.delete(id);
    onEtid?.(count, id);
  }
}
