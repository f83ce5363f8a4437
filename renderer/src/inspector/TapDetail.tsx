import { Fragment, useMemo, useState } from 'react';
import type { TapRow } from '../../../contract/hostContract.js';
import { formatEtid } from '../ui/format.js';
import { JsonTree } from './JsonTree.js';
import { formatTime } from './TapList.js';
import { base64Bytes, hexDump, payloadJson, payloadText } from './payloadView.js';
import { KIND_LABEL, lifecycleFields, rowSubject } from './tapKinds.js';

type Tab = 'text' | 'json' | 'hex';

/** The selected row: who, where, and the payload as text, JSON or hex, with the capture cut shown. */
export function TapDetail({ row }: { row: TapRow | undefined }) {
  const [tab, setTab] = useState<Tab>('json');
  const views = useMemo(() => {
    if (!row) return null;
    const bytes = base64Bytes(row.payload);
    const text = payloadText(bytes, row.truncated);
    return { bytes, text, json: payloadJson(text, row.truncated) };
  }, [row]);
  if (!row || !views)
    return (
      <aside className="tap-detail empty" aria-label="Message detail">
        <p className="muted">Select a message to see its payload as text, JSON and hex.</p>
      </aside>
    );
  const shown: Tab = tab === 'json' && !views.json.ok ? (views.text !== null ? 'text' : 'hex') : tab;
  return (
    <aside className="tap-detail" aria-label="Message detail">
      <header className="tap-detail-head">
        <h3 className="mono ellipsis" title={rowSubject(row)}>
          {rowSubject(row) || KIND_LABEL[row.kind]}
        </h3>
        {row.truncated && (
          <span className="badge badge-crashed" role="status">
            truncated at {row.captureBytes.toLocaleString('en')} of {row.size.toLocaleString('en')} bytes
          </span>
        )}
        {row.dropped && <span className="badge badge-killed">dropped · {row.dropped}</span>}
      </header>
      <dl className="tap-meta">
        <dt>Time</dt>
        <dd className="mono">{formatTime(row.timeMs)}</dd>
        <dt>Node</dt>
        <dd className="mono">
          {row.nodeId}
          {row.via && ` (over the link from ${row.via})`}
        </dd>
        {row.kind === 'publish' ? (
          <>
            {row.subtopic && (
              <>
                <dt>Sub-topic</dt>
                <dd className="mono">{row.subtopic}</dd>
              </>
            )}
            <dt>Publisher</dt>
            <dd className="mono">
              {formatEtid(row.etid)} {row.uid ?? ''}
            </dd>
            <dt>Delivered to</dt>
            <dd>{row.dropped ? '0 (dropped)' : `${row.receivers} on this node`}</dd>
            <dt>Size</dt>
            <dd className="mono">{row.size} bytes</dd>
          </>
        ) : (
          lifecycleFields(row).map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd className="mono">{value}</dd>
            </Fragment>
          ))
        )}
      </dl>
      {row.kind === 'publish' && (
        <>
          <div className="segmented" role="tablist" aria-label="Payload view">
            {(['text', 'json', 'hex'] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                className="segment"
                aria-selected={shown === t}
                aria-pressed={shown === t}
                onClick={() => setTab(t)}
              >
                {t === 'json' ? 'JSON' : t === 'hex' ? 'Hex' : 'Text'}
              </button>
            ))}
          </div>
          <div className="tap-payload" role="tabpanel">
            {shown === 'text' &&
              (views.text !== null ? (
                <pre className="mono">{views.text}</pre>
              ) : (
                <p className="muted">Not UTF-8 text: see Hex.</p>
              ))}
            {shown === 'json' &&
              (views.json.ok ? (
                <div className="json-tree mono">
                  <JsonTree value={views.json.value} />
                </div>
              ) : (
                <p className="muted">Not shown as JSON: {views.json.reason}.</p>
              ))}
            {shown === 'hex' && <pre className="mono hex-dump">{hexDump(views.bytes).join('\n')}</pre>}
          </div>
        </>
      )}
    </aside>
  );
}
