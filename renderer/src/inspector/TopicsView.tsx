import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { TopicView } from '../../../contract/hostContract.js';
import { formatByteRate, formatBytes, formatEtid } from '../ui/format.js';
import { IconTopics } from '../ui/icons.js';
import { VirtualRows } from '../ui/VirtualRows.js';
import type { InspectorStore } from './InspectorStore.js';
import { RateChart } from './RateChart.js';
import { payloadPreview } from './payloadView.js';
import { formatTopicRate, RATE_WINDOW_SECONDS, topicRate } from './topicRate.js';

const CHARTED = 6;

/**
 * One TID when every node gave the topic the same one (the usual case), else each node's on a line
 * of its own (the cell's title lists them all).
 */
function Tids({ t }: { t: TopicView }) {
  const set = new Set(t.nodes.map((n) => n.tid));
  if (set.size === 1) return <>{formatEtid([...set][0]!)}</>;
  return (
    <>
      {t.nodes.map((n) => (
        <span key={n.nodeId} className="topic-tid">
          <span className="muted">{n.nodeId}</span> {formatEtid(n.tid)}
        </span>
      ))}
    </>
  );
}

function perNode(t: TopicView, what: (n: TopicView['nodes'][number]) => string): string {
  return t.nodes.map((n) => `${n.nodeId}: ${what(n)}`).join('\n');
}

/**
 * Every topic on every node: TIDs and subscribers per node, msgs/s and bytes/s, the last payload,
 * sub-topics seen, and a chart of msgs/s over the last minutes for the busiest or chosen topics.
 */
export function TopicsView({
  store,
  onInspect,
}: {
  store: InspectorStore;
  onInspect: (topic: string) => void;
}) {
  const { topics } = useSyncExternalStore(store.subscribe, store.get);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  useEffect(() => {
    const names = new Set(topics.map((t) => t.name));
    setChosen((c) => (c.every((n) => names.has(n)) ? c : c.filter((n) => names.has(n))));
  }, [topics]);

  const shown = useMemo(
    () => topics.filter((t) => t.name.toLowerCase().includes(query.toLowerCase())),
    [topics, query],
  );
  const charted = useMemo(() => {
    const pick = chosen.length
      ? topics.filter((t) => chosen.includes(t.name))
      : [...topics].sort((a, b) => topicRate(b) - topicRate(a)).slice(0, CHARTED);
    return pick.map((t) => ({ label: t.name, values: t.history }));
  }, [topics, chosen]);

  const toggle = (name: string): void =>
    setChosen((c) => (c.includes(name) ? c.filter((n) => n !== name) : [...c, name].slice(-8)));

  if (topics.length === 0)
    return (
      <div className="view">
        <div className="empty-inline">
          <IconTopics />
          <div>
            <strong>No topics yet.</strong> Topics appear when a client creates or subscribes to one: add
            devices, open an LED panel, or start a load run.
          </div>
        </div>
      </div>
    );

  return (
    <div className="view topics-view">
      <div className="toolbar">
        <div className="toolbar-title">
          <h2>Topics</h2>
          <span className="muted small">{topics.length} across the cluster</span>
        </div>
        <div className="toolbar-actions">
          <input
            type="search"
            className="search"
            placeholder="Filter topics"
            aria-label="Filter topics"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
      </div>
      <section className="panel">
        <div className="panel-head">
          <strong>msgs/s, last {Math.max(0, ...charted.map((s) => s.values.length))} s</strong>
          <span className="muted small">
            {chosen.length ? 'chosen topics' : `busiest ${Math.min(CHARTED, topics.length)}`} · tick a row to
            chart it
          </span>
        </div>
        <RateChart series={charted} />
      </section>
      <section className="panel grow">
        <VirtualRows<TopicView>
          rows={shown}
          rowKey={(t) => t.name}
          label="Topics"
          className="topics-grid"
          rowHeight={40}
          header={
            <>
              <span role="columnheader" aria-label="Chart" />
              <span role="columnheader">Topic</span>
              <span role="columnheader">TID</span>
              <span role="columnheader">Subscribers</span>
              <span role="columnheader" title={`Mean over the last ${RATE_WINDOW_SECONDS} s`}>
                msgs/s
              </span>
              <span role="columnheader">bytes/s</span>
              <span role="columnheader">Last payload</span>
              <span role="columnheader">Sub-topics</span>
              <span role="columnheader" />
            </>
          }
          renderRow={(t) => (
            <>
              <span role="cell">
                <input
                  type="checkbox"
                  aria-label={`Chart ${t.name}`}
                  checked={chosen.includes(t.name)}
                  onChange={() => toggle(t.name)}
                />
              </span>
              <span role="cell" className="mono ellipsis" title={t.name}>
                {t.name}
              </span>
              <span
                role="cell"
                className="mono ellipsis topic-tids"
                title={perNode(t, (n) => `TID ${formatEtid(n.tid)}`)}
              >
                <Tids t={t} />
              </span>
              <span
                role="cell"
                className="ellipsis"
                title={perNode(t, (n) => `${n.subscribers} subscribers`)}
              >
                {t.nodes.reduce((sum, n) => sum + n.subscribers, 0)}{' '}
                <span className="muted small mono">
                  {t.nodes.map((n) => `${n.nodeId} ${n.subscribers}`).join(' · ')}
                </span>
              </span>
              <span role="cell" className="mono" data-testid={`topic-rate-${t.name}`}>
                {formatTopicRate(t)}
              </span>
              <span role="cell" className="mono">
                {formatByteRate(t.bytesPerSec)}
              </span>
              <span role="cell" className="mono ellipsis muted">
                {t.lastPayload !== null
                  ? `${payloadPreview(t.lastPayload, 60)} (${formatBytes(t.lastSize)})`
                  : '–'}
              </span>
              <span role="cell" className="mono ellipsis muted" title={t.subtopics.join(', ')}>
                {t.subtopics.join(', ') || '–'}
              </span>
              <span role="cell" className="actions">
                <button type="button" className="btn btn-ghost" onClick={() => onInspect(t.name)}>
                  Inspect
                </button>
              </span>
            </>
          )}
        />
      </section>
    </div>
  );
}
