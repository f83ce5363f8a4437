import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ClientView, NodeView } from '../../../contract/hostContract.js';
import { connect, type SmqClient } from '../../../broker/src/client/browser.js';
import { useHost } from '../host/HostContext.js';
import { MAX_DRAFT_CHARS, pageStorage, readLayout, saveLayout } from '../ui/layout.js';
import { formatEtid } from '../ui/format.js';
import { loadHistory, remember, saveHistory, type SentMessage } from './ComposerHistory.js';
import { convertPayload, parsePayload, type PayloadFormat } from './payloadInput.js';

/** Where the composer's client is: Send works only while connected. */
export type ComposerLink =
  { state: 'connecting' } | { state: 'connected' } | { state: 'failed'; reason: string };

/** A client of the chosen node for the composer, opened on first use and closed with the view. */
function useNodeClient(node: NodeView | undefined): { client?: SmqClient; link: ComposerLink } {
  const [client, setClient] = useState<SmqClient>();
  const [link, setLink] = useState<ComposerLink>({ state: 'connecting' });
  useEffect(() => {
    if (!node || node.state !== 'up') return;
    setLink({ state: 'connecting' });
    const c = connect(node.wsUrl, {
      info: 'SMQ Control Center composer',
      reconnect: { minDelayMs: 250, maxDelayMs: 2000 },
    });
    c.onconnect = c.onreconnect = () => setLink({ state: 'connected' });
    c.onconnecterror = (_url, reason) => setLink({ state: 'failed', reason });
    c.onclose = (reason) => setLink({ state: 'failed', reason });
    setClient(c);
    return () => {
      c.onconnect = c.onreconnect = c.onconnecterror = c.onclose = undefined;
      c.disconnect();
      setClient(undefined);
    };
  }, [node?.wsUrl, node?.state]);
  return { client, link };
}

/** The client's state beside Send; a wss:// node the browser cannot reach is usually its CA. */
function LinkStatus({ link, node }: { link: ComposerLink; node: NodeView }) {
  if (link.state === 'connected') return <span className="badge badge-up">connected</span>;
  if (link.state === 'connecting') return <span className="badge">connecting…</span>;
  const tls = node.wsUrl.startsWith('wss:');
  return (
    <span className="inline-alert small" role="alert" data-testid="composer-link-failed">
      not connected to {node.id}: {link.reason}
      {tls && ' — a TLS node: this browser must trust the app’s CA (tls/ca.pem in its data folder)'}
    </span>
  );
}

/**
 * Publish from the app: to a topic (with a sub-topic) or to one client's ETID, payload as text,
 * JSON (validated) or hex, through a real SMQ client of the chosen node; the message shows in the
 * inspector like any other. The last sent messages can be sent again.
 */
export function Composer({ nodes }: { nodes: readonly NodeView[] }) {
  const host = useHost();
  const up = nodes.filter((n) => n.state === 'up');
  const upIds = up.map((n) => n.id).join();
  const [nodeId, setNodeId] = useState(up[0]?.id ?? '');
  const node = up.find((n) => n.id === nodeId) ?? up[0];
  const { client, link } = useNodeClient(node);
  const ready = client !== undefined && link.state === 'connected';
  // The draft as it was before a reload (the CSP guard reloads once for a new node) or leaving the view.
  const [draft] = useState(() => readLayout().composerDraft);
  const [kind, setKind] = useState<'topic' | 'etid'>(draft?.kind ?? 'topic');
  const [topic, setTopic] = useState(draft?.topic ?? '/composer/test');
  const [subtopic, setSubtopic] = useState(draft?.subtopic ?? '');
  const [etid, setEtid] = useState(draft?.etid ?? '');
  const [format, setFormat] = useState<PayloadFormat>(draft?.format ?? 'json');
  const [payload, setPayload] = useState(draft?.payload ?? '{"hello": "from the control center"}');
  const [clients, setClients] = useState<(ClientView & { nodeId: string })[]>([]);
  const [history, setHistory] = useState(() => loadHistory(pageStorage()));
  const [sent, setSent] = useState<string | null>(null);
  const [formatNote, setFormatNote] = useState<string | null>(null);
  const storage = useRef(pageStorage());

  const parsed = useMemo(() => parsePayload(format, payload), [format, payload]);

  useEffect(() => {
    if (payload.length <= MAX_DRAFT_CHARS)
      saveLayout({ composerDraft: { kind, topic, etid, subtopic, format, payload } });
  }, [kind, topic, etid, subtopic, format, payload]);

  const switchFormat = (to: PayloadFormat): void => {
    const converted = convertPayload(format, to, payload);
    setFormat(to);
    setPayload(converted.payload);
    setFormatNote(converted.note);
  };

  useEffect(() => {
    if (kind !== 'etid') return;
    let live = true;
    void Promise.all(
      upIds.split(',').map((id) =>
        host
          .call('listClients', { nodeId: id })
          .then((list) => list.map((c) => ({ ...c, nodeId: id })))
          .catch(() => []),
      ),
    ).then((lists) => live && setClients(lists.flat()));
    return () => {
      live = false;
    };
  }, [kind, host, upIds]);

  const send = (m: Omit<SentMessage, 'atMs'>): void => {
    const p = parsePayload(m.format, m.payload);
    // Not connected: the client would queue it and the page would claim a send that may never happen.
    if (!client || !client.connected || !p.ok) return setSent(null);
    const sub = m.subtopic || undefined;
    if (m.target.kind === 'topic') client.publish(p.bytes, m.target.topic, sub);
    else client.publish(p.bytes, m.target.etid, sub);
    const next = remember(history, { ...m, atMs: Date.now() });
    setHistory(next);
    saveHistory(storage.current, next);
    setSent(`${p.bytes.length} bytes to ${m.target.kind === 'topic' ? m.target.topic : m.target.label}`);
  };

  /** Puts a sent message back into the form (another node: the user sends it from there). */
  const load = (h: SentMessage): void => {
    setNodeId(h.nodeId);
    setKind(h.target.kind);
    if (h.target.kind === 'topic') setTopic(h.target.topic);
    else setEtid(String(h.target.etid));
    setSubtopic(h.subtopic);
    setFormat(h.format);
    setPayload(h.payload);
  };

  const picked = clients.find((c) => String(c.etid) === etid);
  const targetOk = kind === 'topic' ? topic.trim().length > 0 : picked !== undefined;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!node || !targetOk) return;
    send({
      nodeId: node.id,
      target:
        kind === 'topic'
          ? { kind: 'topic', topic: topic.trim() }
          : { kind: 'etid', etid: picked!.etid, label: `ETID ${formatEtid(picked!.etid)}` },
      subtopic: subtopic.trim(),
      format,
      payload,
    });
  };

  if (up.length === 0) return <p className="muted">No node is up: start one to publish.</p>;
  return (
    <section className="panel composer" aria-label="Publish">
      <form className="composer-form" onSubmit={submit} aria-label="Publish a message">
        <div className="composer-row">
          <label className="field field-inline">
            From node
            <select value={node?.id} onChange={(e) => setNodeId(e.target.value)} aria-label="From node">
              {up.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.id}
                </option>
              ))}
            </select>
          </label>
          <div className="segmented" role="group" aria-label="Send to">
            <button
              type="button"
              className="segment"
              aria-pressed={kind === 'topic'}
              onClick={() => setKind('topic')}
            >
              Topic
            </button>
            <button
              type="button"
              className="segment"
              aria-pressed={kind === 'etid'}
              onClick={() => setKind('etid')}
            >
              One client (ETID)
            </button>
          </div>
          {kind === 'topic' ? (
            <label className="field field-inline grow">
              Topic
              <input value={topic} onChange={(e) => setTopic(e.target.value)} aria-label="Topic name" />
            </label>
          ) : (
            <label className="field field-inline grow">
              Client
              <select value={etid} onChange={(e) => setEtid(e.target.value)} aria-label="Client">
                <option value="">choose a client…</option>
                {clients.map((c) => (
                  <option key={`${c.nodeId}-${c.etid}`} value={c.etid}>
                    {c.nodeId} · {formatEtid(c.etid)} · {c.info || c.uid}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field field-inline">
            Sub-topic
            <input value={subtopic} placeholder="none" onChange={(e) => setSubtopic(e.target.value)} />
          </label>
        </div>
        <div className="composer-row">
          <div className="segmented" role="group" aria-label="Payload format">
            {(['text', 'json', 'hex'] as const).map((f) => (
              <button
                key={f}
                type="button"
                className="segment"
                aria-pressed={format === f}
                onClick={() => switchFormat(f)}
              >
                {f === 'json' ? 'JSON' : f === 'hex' ? 'Hex' : 'Text'}
              </button>
            ))}
          </div>
          <textarea
            className="mono grow"
            rows={3}
            value={payload}
            aria-label="Payload"
            aria-invalid={!parsed.ok}
            onChange={(e) => {
              setPayload(e.target.value);
              setFormatNote(null);
            }}
          />
          <button type="submit" className="btn btn-primary" disabled={!parsed.ok || !targetOk || !ready}>
            Send
          </button>
          {node && <LinkStatus link={link} node={node} />}
        </div>
        <p className={parsed.ok ? 'muted small' : 'inline-alert small'} role="status">
          {parsed.ok
            ? `${parsed.bytes.length} bytes${formatNote ? ` · ${formatNote}` : ''}${sent ? ` · sent ${sent}` : ''}`
            : parsed.error}
        </p>
      </form>
      {history.length > 0 && (
        <details className="composer-history">
          <summary>Sent ({history.length})</summary>
          <ul>
            {history.map((h) => (
              <li key={h.atMs}>
                <span className="mono ellipsis">
                  {h.nodeId} → {h.target.kind === 'topic' ? h.target.topic : h.target.label}
                  {h.subtopic && ` / ${h.subtopic}`} · {h.format} · {h.payload.slice(0, 60)}
                </span>
                {h.nodeId === node?.id ? (
                  <button type="button" className="btn btn-ghost" onClick={() => send(h)} disabled={!ready}>
                    Resend
                  </button>
                ) : (
                  <button type="button" className="btn btn-ghost" onClick={() => load(h)}>
                    Load
                  </button>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
