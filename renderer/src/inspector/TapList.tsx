import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TapRow } from '../../../contract/hostContract.js';
import { formatBytes, formatEtid } from '../ui/format.js';
import { payloadPreview } from './payloadView.js';
import { hasClient, KIND_LABEL, rowDetails, rowSubject } from './tapKinds.js';

const ROW_H = 28;

export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The Subs column: a publish's deliveries, or why it was dropped; empty for the other kinds. */
function Deliveries({ row }: { row: TapRow }) {
  if (row.kind !== 'publish') return null;
  if (row.dropped)
    return (
      <span className="badge badge-killed" title={`dropped: ${row.dropped}`}>
        dropped
      </span>
    );
  return <span>{row.receivers}</span>;
}

/** The Node column in full: the node, and the one it came from over a link. */
function nodeText(row: TapRow): string {
  return row.via ? `${row.nodeId} ← ${row.via}` : row.nodeId;
}

/**
 * The Topic / ETID column: for a one-to-one publish the target ETID is the key and stays whole
 * (the target's uid after it may be cut); anything else as the detail pane names it.
 */
function Subject({ row }: { row: TapRow }) {
  if (row.kind !== 'publish' || row.destKind !== 'etid') return <>{rowSubject(row)}</>;
  return (
    <>
      <span className="tap-id">→ ETID {formatEtid(row.dest)}</span>
      {row.destUid && <span className="muted"> {row.destUid}</span>}
    </>
  );
}

/**
 * The inspector's rows, virtualized (only what is in view is in the DOM). Follows the tail while
 * `follow` is on; scrolling up by hand turns it off. Arrow keys move the selection.
 */
export function TapList({
  rows,
  selected,
  onSelect,
  follow,
  onFollowChange,
}: {
  rows: readonly TapRow[];
  selected: number | null;
  onSelect: (seq: number) => void;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const programmatic = useRef(false);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 16,
    getItemKey: (i) => rows[i]!.seq,
  });

  useEffect(() => {
    if (!follow || rows.length === 0) return;
    programmatic.current = true;
    virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [follow, rows, virtualizer]);

  const onScroll = (): void => {
    const el = scrollRef.current;
    if (!el) return;
    if (programmatic.current) {
      programmatic.current = false;
      return;
    }
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_H * 2;
    if (atEnd !== follow) onFollowChange(atEnd);
  };

  const onKey = (e: React.KeyboardEvent): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    if (rows.length === 0) return;
    const at = selected === null ? -1 : rows.findIndex((r) => r.seq === selected);
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? rows.length - 1
          : Math.max(0, Math.min(rows.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
    onSelect(rows[next]!.seq);
    if (follow) onFollowChange(false);
    virtualizer.scrollToIndex(next);
  };

  return (
    <div className="vtable tap-grid" role="grid" aria-label="Tapped messages" aria-rowcount={rows.length + 1}>
      <div className="vtable-head" role="rowgroup">
        <div className="vtable-row" role="row" aria-rowindex={1}>
          <span role="columnheader">Time</span>
          <span role="columnheader">Node</span>
          <span role="columnheader" title="What happened: a publish, a connect, a link down …">
            Event
          </span>
          <span role="columnheader" title="A topic, or → ETID for a message to one client">
            Topic / ETID
          </span>
          <span role="columnheader">Sub-topic</span>
          <span role="columnheader" title="The publisher, or the client an event is about">
            Client
          </span>
          <span role="columnheader" title="Deliveries of a publish">
            Subs
          </span>
          <span role="columnheader">Size</span>
          <span
            role="columnheader"
            title="A publish's payload; for the other events: the reason, client info, peer or ETID"
          >
            Details
          </span>
        </div>
      </div>
      <div
        className="vtable-scroll"
        ref={scrollRef}
        role="rowgroup"
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKey}
        aria-label="Messages: arrow keys select"
      >
        <div className="vtable-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const details = rowDetails(row, payloadPreview);
            return (
              <div
                key={item.key}
                className={`vtable-row tap-row${row.seq === selected ? ' selected' : ''}${row.dropped ? ' dropped' : ''}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={row.seq === selected}
                style={{ height: ROW_H, transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  onSelect(row.seq);
                  if (follow) onFollowChange(false);
                }}
              >
                <span className="mono" role="gridcell">
                  {formatTime(row.timeMs)}
                </span>
                <span role="gridcell" className="mono ellipsis" title={nodeText(row)}>
                  {row.nodeId}
                  {row.via && <span className="muted"> ← {row.via}</span>}
                </span>
                <span role="gridcell" className="ellipsis">
                  <span className={`tap-kind tap-kind-${row.kind}`}>{KIND_LABEL[row.kind]}</span>
                </span>
                <span
                  role="gridcell"
                  className={`mono ellipsis${row.destKind === 'etid' ? ' tap-direct' : ''}`}
                  title={rowSubject(row)}
                >
                  <Subject row={row} />
                </span>
                <span role="gridcell" className="mono ellipsis">
                  {row.subtopic ?? ''}
                </span>
                <span role="gridcell" className="mono ellipsis" title={row.uid ?? undefined}>
                  {hasClient(row) && <span className="tap-id">{formatEtid(row.etid)}</span>}
                  {row.uid && <span className="muted"> {row.uid}</span>}
                </span>
                <span role="gridcell" className="ellipsis">
                  <Deliveries row={row} />
                </span>
                <span role="gridcell" className="mono ellipsis">
                  {row.kind === 'publish' ? formatBytes(row.size) : ''}
                  {row.truncated && (
                    <span className="tap-cut" title={`captured ${row.captureBytes} of ${row.size} bytes`}>
                      {' '}
                      ✂
                    </span>
                  )}
                </span>
                <span
                  role="gridcell"
                  className="mono ellipsis muted"
                  title={row.kind === 'publish' ? undefined : details}
                >
                  {details}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
