import { fromUtf8Strict } from './wire.js';
import type { SubscribeOptions } from './types.js';

/** A handler with its datatype applied; false when the payload does not decode (text, JSON). */
export type Deliver = (payload: Uint8Array, ptid: number, tid: number, subtid: number) => boolean;

interface Entry {
  /** Messages of the topic whose sub-topic has no handler of its own. */
  main: Deliver | undefined;
  bySubtopic: Map<string, Deliver>;
}

/**
 * The subscriptions the application asked for, keyed by topic NAME ('self' included) and sub-topic
 * name, never by id: ids change on every node, names survive a reconnect and are re-subscribed.
 */
export class Subscriptions {
  private readonly byTopic = new Map<string, Entry>();

  set(topic: string, subtopic: string | undefined, deliver: Deliver): void {
    let e = this.byTopic.get(topic);
    if (!e) this.byTopic.set(topic, (e = { main: undefined, bySubtopic: new Map() }));
    if (subtopic === undefined) e.main = deliver;
    else e.bySubtopic.set(subtopic, deliver);
  }

  /** Undoes one set() (the broker denied it), if no later set() replaced it. */
  unset(topic: string, subtopic: string | undefined, deliver: Deliver): void {
    const e = this.byTopic.get(topic);
    if (!e) return;
    if (subtopic === undefined) {
      if (e.main === deliver) e.main = undefined;
    } else if (e.bySubtopic.get(subtopic) === deliver) e.bySubtopic.delete(subtopic);
    if (e.main === undefined && e.bySubtopic.size === 0) this.byTopic.delete(topic);
  }

  remove(topic: string): boolean {
    return this.byTopic.delete(topic);
  }

  has(topic: string): boolean {
    return this.byTopic.has(topic);
  }

  topics(): IterableIterator<string> {
    return this.byTopic.keys();
  }

  /** The handler for a message: the sub-topic's own, else the topic's plain one. */
  find(topic: string | undefined, subtopic: string | undefined): Deliver | undefined {
    const e = topic === undefined ? undefined : this.byTopic.get(topic);
    if (!e) return undefined;
    return (subtopic === undefined ? undefined : e.bySubtopic.get(subtopic)) ?? e.main;
  }
}

/** Applies the datatype once, at subscribe time, so dispatch is one call. */
export function deliverFor(o: SubscribeOptions): Deliver {
  switch (o.datatype) {
    case 'text': {
      const onmsg = o.onmsg;
      return (payload, ptid, tid, subtid) => {
        const text = fromUtf8Strict(payload);
        if (text === undefined) return false;
        onmsg(text, ptid, tid, subtid);
        return true;
      };
    }
    case 'json': {
      const onmsg = o.onmsg;
      return (payload, ptid, tid, subtid) => {
        const text = fromUtf8Strict(payload);
        if (text === undefined) return false;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return false;
        }
        onmsg(value, ptid, tid, subtid);
        return true;
      };
    }
    default: {
      const onmsg = o.onmsg;
      return (payload, ptid, tid, subtid) => {
        onmsg(payload, ptid, tid, subtid);
        return true;
      };
    }
  }
}
