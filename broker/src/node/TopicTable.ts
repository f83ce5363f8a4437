import { PUBLISH_HEADER_SIZE } from '../protocol/constants.js';
import { NameRegistry } from './NameRegistry.js';
import { MAX_TID } from './EtidAllocator.js';
import type { Subscriber } from './Subscriber.js';
import { coarseTick } from './coarseClock.js';

/** Payload bytes of a recent publish kept per topic (sampled every COARSE_MS), for the topics listing. */
export const TOPIC_PREVIEW_BYTES = 64;
/** Distinct sub-topic ids remembered per topic; publishes with others are counted, not listed. */
export const SUBTOPICS_PER_TOPIC = 32;

/**
 * One topic's subscribers and traffic since the node started. Created on first use (subscribe or
 * publish) and kept as long as the node (TIDs are never freed), so a publish costs one map lookup
 * and a few counter increments; the payload preview is copied at most once per COARSE_MS.
 */
export class TopicEntry {
  readonly subscribers = new Set<Subscriber>();
  /** Publishes routed here from this node's own clients (the server client included). */
  msgs = 0;
  bytes = 0;
  /** Publishes that arrived over a cluster link. */
  peerMsgs = 0;
  peerBytes = 0;
  /** Size of the previewed publish (any origin); -1 before the first. No time: Date.now() per publish costs. */
  lastSize = -1;
  /** Sub-topic ids seen (at most SUBTOPICS_PER_TOPIC), and publishes whose id did not fit. */
  subtids: Set<number> | undefined;
  subtopicsUnlisted = 0;
  private preview: Buffer | undefined;
  private previewLength = 0;
  private previewTick = -1;

  constructor(readonly tid: number) {}

  /**
   * Counts one publish (type byte first, as routed). Allocates nothing after the first call: the
   * preview is a byte loop into this entry's own buffer (Buffer#copy would build a view each time),
   * and only the first publish of each coarse tick pays for it.
   */
  published(packet: Buffer, fromPeer: boolean): void {
    const size = packet.length - PUBLISH_HEADER_SIZE;
    if (fromPeer) {
      this.peerMsgs++;
      this.peerBytes += size;
    } else {
      this.msgs++;
      this.bytes += size;
    }
    if (this.previewTick !== coarseTick) {
      this.previewTick = coarseTick;
      this.lastSize = size;
      const preview = (this.preview ??= Buffer.alloc(TOPIC_PREVIEW_BYTES));
      const n = size < TOPIC_PREVIEW_BYTES ? size : TOPIC_PREVIEW_BYTES;
      for (let i = 0; i < n; i++) preview[i] = packet[PUBLISH_HEADER_SIZE + i]!;
      this.previewLength = n;
    }
    // Most publishes carry no sub-topic: four byte reads instead of a u32 decode.
    if ((packet[9]! | packet[10]! | packet[11]! | packet[12]!) === 0) return;
    const subtid = packet.readUInt32BE(9);
    const seen = (this.subtids ??= new Set());
    if (seen.has(subtid)) return;
    if (seen.size < SUBTOPICS_PER_TOPIC) seen.add(subtid);
    else this.subtopicsUnlisted++;
  }

  /** The first TOPIC_PREVIEW_BYTES of the last payload (a view: copy or encode it at once). */
  lastPreview(): Buffer | undefined {
    return this.preview?.subarray(0, this.previewLength);
  }
}

/** Topic names, their TIDs (2..MAX_TID), subscribers (distinct connections per TID) and traffic. */
export class TopicTable {
  readonly names = new NameRegistry(2, MAX_TID);
  private readonly entries = new Map<number, TopicEntry>();

  has(tid: number): boolean {
    return this.names.has(tid);
  }

  /** The entry of a registered topic, created on first use; undefined for an unknown TID. */
  entry(tid: number): TopicEntry | undefined {
    const e = this.entries.get(tid);
    if (e !== undefined || !this.names.has(tid)) return e;
    const created = new TopicEntry(tid);
    this.entries.set(tid, created);
    return created;
  }

  /** The entry if the topic was ever subscribed to or published to (never creates one). */
  peek(tid: number): TopicEntry | undefined {
    return this.entries.get(tid);
  }

  subscribersOf(tid: number): ReadonlySet<Subscriber> | undefined {
    return this.entries.get(tid)?.subscribers;
  }

  count(tid: number): number {
    return this.entries.get(tid)?.subscribers.size ?? 0;
  }

  /** Adds a subscriber; true when the count changed (a repeated Subscribe counts once). */
  subscribe(tid: number, s: Subscriber): boolean {
    let e = this.entries.get(tid);
    if (!e) {
      e = new TopicEntry(tid);
      this.entries.set(tid, e);
    }
    const before = e.subscribers.size;
    e.subscribers.add(s);
    return e.subscribers.size !== before;
  }

  /** Removes a subscriber; true when the count changed. */
  unsubscribe(tid: number, s: Subscriber): boolean {
    return this.entries.get(tid)?.subscribers.delete(s) ?? false;
  }
}
