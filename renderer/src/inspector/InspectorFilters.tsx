import { useEffect, useId, useRef, useState } from 'react';
import type { NodeView, TapFilter } from '../../../contract/hostContract.js';
import { ALL_KINDS, KIND_GROUPS } from './tapKinds.js';

/** Publishes only, until the user asks for lifecycle events too. */
export const DEFAULT_FILTER: TapFilter = { kinds: ['publish'] };

/** Text fields apply after a short pause in typing; choices apply at once. */
const TYPING_MS = 250;

export function InspectorFilters({
  filter,
  nodes,
  onChange,
}: {
  filter: TapFilter;
  nodes: readonly NodeView[];
  onChange: (filter: TapFilter) => void;
}) {
  const [text, setText] = useState({
    topic: filter.topic ?? '',
    subtopic: filter.subtopic ?? '',
    publisher: filter.publisher ?? '',
  });
  // A filter changed elsewhere (a topic chip, a reconnect) shows in the fields.
  useEffect(
    () =>
      setText({
        topic: filter.topic ?? '',
        subtopic: filter.subtopic ?? '',
        publisher: filter.publisher ?? '',
      }),
    [filter.topic, filter.subtopic, filter.publisher],
  );
  /** Applies typed text that the filter does not hold yet. */
  const applyText = (): void => {
    const next = { ...filter, ...text };
    if (
      next.topic !== (filter.topic ?? '') ||
      next.subtopic !== (filter.subtopic ?? '') ||
      next.publisher !== (filter.publisher ?? '')
    )
      onChange(next);
  };
  const latest = useRef(applyText);
  useEffect(() => {
    latest.current = applyText;
  });
  useEffect(() => {
    const t = setTimeout(() => latest.current(), TYPING_MS);
    return () => clearTimeout(t);
  }, [text, filter, onChange]);
  // Leaving the view within the typing pause still applies what was typed (else the old value
  // came back with the view, and stayed applied).
  useEffect(() => () => void latest.current(), []);

  /** Empty means all; turning one off from "all" keeps the others. */
  const toggle = <K extends 'nodeIds' | 'kinds'>(key: K, value: string, all: readonly string[]): void => {
    const list = (filter[key]?.length ? filter[key] : all) as readonly string[];
    const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
    onChange({ ...filter, [key]: next.length === all.length ? undefined : next });
  };
  const showId = useId();
  const nodeIds = nodes.map((n) => n.id);

  return (
    <div className="tap-filters" role="search" aria-label="Inspector filters">
      <label className="field field-inline">
        Topic
        <input
          type="search"
          className="search"
          placeholder="name part or glob: /m2m/*"
          title="A topic name, part of it, or a glob (* any run, ? one character): /m2m/*"
          value={text.topic}
          onChange={(e) => setText({ ...text, topic: e.target.value })}
        />
      </label>
      <label className="field field-inline">
        Sub-topic
        <input
          type="search"
          value={text.subtopic}
          placeholder="any"
          onChange={(e) => setText({ ...text, subtopic: e.target.value })}
        />
      </label>
      <label className="field field-inline">
        Publisher
        <input
          type="search"
          value={text.publisher}
          placeholder="ETID or uid"
          onChange={(e) => setText({ ...text, publisher: e.target.value })}
        />
      </label>
      <div className="segmented" role="group" aria-label="Nodes">
        {nodes.map((n) => (
          <button
            key={n.id}
            type="button"
            className="segment"
            aria-pressed={!filter.nodeIds?.length || filter.nodeIds.includes(n.id)}
            onClick={() => toggle('nodeIds', n.id, nodeIds)}
          >
            <span className={`dot dot-${n.state}`} aria-hidden="true" />
            {n.id}
          </button>
        ))}
      </div>
      <label className="field field-inline">
        Origin
        <select
          aria-label="Origin"
          value={filter.origin ?? ''}
          onChange={(e) =>
            onChange({ ...filter, origin: (e.target.value || undefined) as TapFilter['origin'] })
          }
        >
          <option value="">any</option>
          <option value="local">published here</option>
          <option value="link">over a link</option>
        </select>
      </label>
      <label className="field field-inline">
        To
        <select
          aria-label="Destination kind"
          value={filter.target ?? ''}
          onChange={(e) =>
            onChange({ ...filter, target: (e.target.value || undefined) as TapFilter['target'] })
          }
        >
          <option value="">topic or ETID</option>
          <option value="topic">topic subscribers</option>
          <option value="etid">one client (ETID)</option>
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={filter.droppedOnly === true}
          onChange={(e) => onChange({ ...filter, droppedOnly: e.target.checked || undefined })}
        />
        Dropped only
      </label>
      <div className="field field-inline tap-kinds" role="group" aria-labelledby={showId}>
        <span id={showId}>Show</span>
        {KIND_GROUPS.map((group) => (
          <div key={group.label} className="segmented" role="group" aria-label={group.label}>
            {group.kinds.map(({ kind, label }) => (
              <button
                key={kind}
                type="button"
                className="segment"
                aria-pressed={!filter.kinds?.length || filter.kinds.includes(kind)}
                onClick={() => toggle('kinds', kind, ALL_KINDS)}
              >
                {label}
              </button>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
