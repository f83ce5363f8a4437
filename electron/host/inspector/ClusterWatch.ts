import type { NodeId, TopicView } from '../../../contract/hostContract.js';
import { NodeWatch } from './NodeWatch.js';
import type { TapHub } from './TapHub.js';
import { TopicStats } from './TopicStats.js';
import { tapRow } from './tapRows.js';

export interface WatchTarget {
  id: NodeId;
  /** The node's http://host:port origin. */
  url: string;
}

/**
 * One NodeWatch per node of the cluster, feeding the tap hub and the topic statistics; the
 * topics view goes out once a second.
 */
export class ClusterWatch {
  private readonly watches = new Map<NodeId, { url: string; watch: NodeWatch }>();
  private readonly topics = new TopicStats();
  private readonly timer: NodeJS.Timeout;
  private tap = { on: false, captureBytes: 0 };

  constructor(
    private readonly token: string,
    private readonly hub: TapHub,
    onTopics: (topics: TopicView[]) => void,
  ) {
    this.timer = setInterval(() => {
      this.topics.tick();
      onTopics(this.topics.views());
    }, 1000);
  }

  /** Follows the cluster's node list (call on every change). */
  sync(targets: readonly WatchTarget[]): void {
    const wanted = new Map(targets.map((t) => [t.id, t.url]));
    for (const [id, w] of this.watches) {
      if (wanted.get(id) === w.url) continue;
      w.watch.close();
      this.watches.delete(id);
      this.topics.forget(id);
    }
    for (const [id, url] of wanted) {
      if (this.watches.has(id)) continue;
      const watch = new NodeWatch(url.replace(/^http/, 'ws'), this.token, {
        tap: (events, skipped, captureBytes) =>
          this.hub.ingest(
            events.map((e) => tapRow(id, e, captureBytes)),
            skipped,
          ),
        topics: (topics) => this.topics.update(id, topics, Date.now()),
      });
      if (this.tap.on) watch.setTap(true, this.tap.captureBytes);
      this.watches.set(id, { url, watch });
    }
  }

  setTap(on: boolean, captureBytes: number): void {
    this.tap = { on, captureBytes };
    for (const { watch } of this.watches.values()) watch.setTap(on, captureBytes);
  }

  close(): void {
    clearInterval(this.timer);
    for (const { watch } of this.watches.values()) watch.close();
    this.watches.clear();
  }
}
