import type { NodeId, NodeView, TopicView } from '../../../contract/hostContract.js';
import type { TapScope } from '../../../broker/src/admin/adminWire.js';
import { NodeLifecycle } from './NodeLifecycle.js';
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
 * One NodeWatch per node of the cluster, feeding the tap hub and the topic statistics, plus the
 * nodes' start/stop rows the host sees itself; the topics view goes out once a second.
 */
export class ClusterWatch {
  private readonly watches = new Map<NodeId, { url: string; watch: NodeWatch }>();
  private readonly topics = new TopicStats();
  private readonly timer: NodeJS.Timeout;
  private tap: { scope: TapScope; captureBytes: number };
  private readonly lifecycle = new NodeLifecycle((row) => this.hub.ingest([row], 0));

  constructor(
    private readonly token: string,
    private readonly hub: TapHub,
    private readonly onTopics: (topics: TopicView[]) => void,
    /** The CA of https:// nodes (the host's own TLS cluster). */
    private readonly ca?: string,
    /** The host's log (the console, as ControlHost's default, when none is given). */
    private readonly log: (level: 'info' | 'warn', message: string) => void = (_, message) =>
      console.warn(message),
  ) {
    // Rows of an earlier cluster would read as this one's (its nodes have the same names).
    hub.clear();
    this.tap = { scope: hub.scope, captureBytes: hub.current.captureBytes };
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
      const watch = new NodeWatch(
        url.replace(/^http/, 'ws'),
        this.token,
        this.ca,
        {
          tap: (events, skipped, captureBytes) =>
            this.hub.ingest(
              events.map((e) => tapRow(id, e, captureBytes)),
              skipped,
            ),
          topics: (topics) => this.topics.update(id, topics, Date.now()),
          noLifecycleTap: () =>
            this.log(
              'warn',
              `${id} (${url}) is an smq-node without lifecycle-only taps: its tap is off while no ` +
                'Inspector is open, so it keeps no lifecycle history meanwhile (update it to keep one)',
            ),
        },
        this.tap,
      );
      this.watches.set(id, { url, watch });
    }
  }

  /** Follows the nodes' states for nodeStart/nodeStop rows (call on every change). */
  nodeStates(nodes: readonly NodeView[], kind: 'local' | 'remote'): void {
    this.lifecycle.update(nodes, kind);
  }

  /** The nodes' taps: 'lifecycle' keeps the host's history while nobody reads, 'all' for readers. */
  setTap(scope: TapScope, captureBytes: number): void {
    this.tap = { scope, captureBytes };
    for (const { watch } of this.watches.values()) watch.setTap(scope, captureBytes);
  }

  /** Stops watching; the cluster's rows and topics leave the inspectors with it. */
  close(): void {
    clearInterval(this.timer);
    for (const { watch } of this.watches.values()) watch.close();
    this.watches.clear();
    this.hub.clear();
    this.onTopics([]);
  }
}
