import type { LoadView } from '../../../contract/hostContract.js';
import { formatBytes, formatClock, formatExact, formatMs, formatMsgRate } from '../ui/format.js';
import { IconLoad } from '../ui/icons.js';

/** Load runs, newest first: live progress while one runs, then its result (or its error). */
export function LoadRunList({ runs }: { runs: LoadView[] }) {
  if (!runs.length) {
    return (
      <div className="empty-small load-empty">
        <IconLoad />
        <p>
          <strong>No load runs yet.</strong> Choose nodes and a rate on the left and start one: publishers and
          subscribers connect to the nodes in turn, so messages cross the cluster&apos;s links.
        </p>
      </div>
    );
  }
  return (
    <ol className="load-runs" aria-label="Load runs, newest first">
      {runs.map((r) => (
        <LoadRunItem key={r.id} run={r} />
      ))}
    </ol>
  );
}

function LoadRunItem({ run: r }: { run: LoadView }) {
  const title = `load-run-${r.id}-title`;
  return (
    <li
      className={`card load-run state-${r.state}`}
      aria-labelledby={title}
      data-testid={`load-run-${r.id}`}
      data-state={r.state}
    >
      <header className="card-head">
        <span
          className={`dot ${r.state === 'running' ? 'dot-starting' : r.state === 'done' ? 'dot-up' : 'dot-crashed'}`}
          aria-hidden="true"
        />
        <h4 id={title} className="mono">
          {r.id}
        </h4>
        <span className={`badge badge-load-${r.state}`}>{r.state}</span>
        <span className="card-head-spacer" />
        <span className="muted small">{formatClock(r.startedAtMs)}</span>
      </header>
      <p className="load-run-spec small muted">{describeSpec(r)}</p>
      <p className="sr-only" role="status">
        {announce(r)}
      </p>
      {r.state === 'running' && <Progress run={r} />}
      {r.state === 'done' && r.result && <Result run={r} />}
      {r.state === 'failed' && r.error && (
        <p className="inline-alert load-error" data-testid={`load-error-${r.id}`}>
          <code>{r.error.code}</code> {r.error.message}
        </p>
      )}
    </li>
  );
}

function describeSpec({ spec }: LoadView): string {
  const pubs = `${spec.publishers} ${spec.publishers === 1 ? 'publisher' : 'publishers'}`;
  const subs = `${spec.subscribers} ${spec.subscribers === 1 ? 'subscriber' : 'subscribers'}`;
  return `${spec.nodeIds.join(', ')} · ${pubs} × ${formatExact(spec.rate)} msg/s → ${subs} · ${formatBytes(spec.payloadBytes)} · ${spec.durationMs / 1000} s`;
}

function announce(r: LoadView): string {
  if (r.state === 'running') return `${r.id} running`;
  if (r.state === 'failed') return `${r.id} failed: ${r.error?.code ?? ''} ${r.error?.message ?? ''}`;
  const res = r.result!;
  return `${r.id} done: ${formatExact(res.received)} received, ${formatExact(res.lost)} lost`;
}

function Progress({ run: r }: { run: LoadView }) {
  const p = r.progress;
  const phase = p?.phase ?? 'setup';
  const durationS = r.spec.durationMs / 1000;
  const elapsedS = Math.min(durationS, (p?.sendingMs ?? 0) / 1000);
  const expected = (p?.sent ?? 0) * r.spec.subscribers;
  const rate = p && p.sendingMs > 0 ? (p.received * 1000) / p.sendingMs : 0;
  const clients = r.spec.publishers + r.spec.subscribers;
  const label =
    phase === 'setup'
      ? `Connecting ${clients} clients and subscribing…`
      : phase === 'sending'
        ? 'Sending'
        : 'Waiting for messages still in flight…';
  return (
    <div className="load-progress" data-testid={`load-progress-${r.id}`} data-phase={phase}>
      <div className="load-progress-row">
        <span>{label}</span>
        <span className="mono">
          {elapsedS.toFixed(1)} s / {durationS} s
        </span>
      </div>
      {phase === 'setup' ? (
        <progress className="progress-bar" aria-label={`${r.id} progress`} />
      ) : (
        <progress
          className="progress-bar"
          aria-label={`${r.id} progress`}
          max={1}
          value={phase === 'sending' ? elapsedS / durationS : 1}
        />
      )}
      <dl className="metrics load-metrics">
        <Metric label="Sent" value={formatExact(p?.sent ?? 0)} id={`load-sent-${r.id}`} />
        <Metric
          label="Received"
          value={`${formatExact(p?.received ?? 0)} / ${formatExact(expected)}`}
          id={`load-received-${r.id}`}
        />
        <Metric label="Delivering" value={formatMsgRate(rate)} />
      </dl>
    </div>
  );
}

function Result({ run: r }: { run: LoadView }) {
  const res = r.result!;
  return (
    <dl className="metrics load-metrics load-result" data-testid={`load-result-${r.id}`}>
      <Metric label="Sent" value={formatExact(res.sent)} id={`load-sent-${r.id}`} />
      <Metric label="Received" value={formatExact(res.received)} id={`load-received-${r.id}`} />
      <Metric
        label="Lost"
        value={formatExact(res.lost)}
        id={`load-lost-${r.id}`}
        tone={res.lost > 0 ? 'bad' : 'good'}
      />
      <Metric
        label="Delivered"
        value={formatMsgRate(res.receivedPerSec)}
        id={`load-rate-${r.id}`}
        title={`sent at ${formatMsgRate(res.sentPerSec)}`}
      />
      <Metric label="Latency p50" value={formatMs(res.p50Ms)} id={`load-p50-${r.id}`} />
      <Metric label="Latency p99" value={formatMs(res.p99Ms)} id={`load-p99-${r.id}`} />
    </dl>
  );
}

function Metric({
  label,
  value,
  id,
  tone,
  title,
}: {
  label: string;
  value: string;
  id?: string;
  tone?: 'good' | 'bad';
  title?: string;
}) {
  return (
    <div className={`metric${tone ? ` metric-${tone}` : ''}`} title={title}>
      <dt>{label}</dt>
      <dd data-testid={id}>{value}</dd>
    </div>
  );
}
