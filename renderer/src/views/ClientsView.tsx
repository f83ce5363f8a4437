import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ClientView, ClusterSnapshot } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { ActionButton } from '../ui/ActionButton.js';
import { byNodeId } from '../ui/cluster.js';
import { describeError } from '../ui/errors.js';
import { formatBytes, formatClock, formatCount, formatEtid } from '../ui/format.js';
import { IconClients, IconRefresh, IconUnplug } from '../ui/icons.js';
import { VirtualRows } from '../ui/VirtualRows.js';

const AUTO_MS = 3000;

/** The clients of one node (listClients), refreshed on demand or every few seconds. */
export function ClientsView({ snapshot }: { snapshot: ClusterSnapshot }) {
  const host = useHost();
  const nodes = useMemo(() => [...snapshot.nodes].sort((a, b) => byNodeId(a.id, b.id)), [snapshot.nodes]);
  const [chosen, setChosen] = useState<string | null>(null);
  const nodeId = chosen && nodes.some((n) => n.id === chosen) ? chosen : (nodes[0]?.id ?? null);
  const node = nodes.find((n) => n.id === nodeId);
  const [clients, setClients] = useState<{ nodeId: string; list: ClientView[]; atMs: number } | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [auto, setAuto] = useState(true);
  const [loading, setLoading] = useState(false);
  const up = node?.state === 'up';

  const refresh = useCallback(async () => {
    if (!nodeId) return;
    setLoading(true);
    try {
      const list = await host.call('listClients', { nodeId });
      setClients({ nodeId, list, atMs: Date.now() });
      setError(null);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setLoading(false);
    }
  }, [host, nodeId]);

  useEffect(() => {
    setClients(null);
    setError(null);
    if (up) void refresh();
  }, [refresh, up]);

  useEffect(() => {
    if (!auto || !up) return;
    const t = setInterval(() => void refresh(), AUTO_MS);
    return () => clearInterval(t);
  }, [auto, up, refresh]);

  const list = clients && clients.nodeId === nodeId ? clients.list : [];

  return (
    <div className="view clients-view">
      <div className="toolbar">
        <div className="toolbar-title">
          <h2>Clients</h2>
          <div className="segmented" role="group" aria-label="Node">
            {nodes.map((n) => (
              <button
                key={n.id}
                type="button"
                className="segment"
                aria-pressed={n.id === nodeId}
                onClick={() => setChosen(n.id)}
              >
                <span className={`dot dot-${n.state}`} aria-hidden="true" />
                {n.id}
                <span className="muted small">{formatCount(n.clients)}</span>
              </button>
            ))}
          </div>
        </div>
        <div className="toolbar-actions">
          <label className="check">
            <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> Auto-refresh
          </label>
          <button
            type="button"
            className="btn"
            onClick={() => void refresh()}
            disabled={!up || loading}
            aria-busy={loading || undefined}
          >
            <IconRefresh /> Refresh
          </button>
        </div>
      </div>

      {error && (
        <p className="inline-alert" role="alert">
          <code>{error.code}</code> {error.message}
        </p>
      )}

      {!node ? null : !up ? (
        <div className="empty-inline">
          <IconClients />
          <div>
            <strong>
              {node.id} is {node.state}.
            </strong>{' '}
            Its clients reconnected to other nodes. Start it from the Cluster view to list who connects to it
            again.
          </div>
        </div>
      ) : list.length === 0 && clients ? (
        <div className="empty-inline">
          <IconClients />
          <div>
            <strong>No clients on {node.id}.</strong> Add devices, open an LED panel on this node, or connect
            any SMQ client to <code>{node.wsUrl}</code>.
          </div>
        </div>
      ) : (
        <section className="panel grow">
          <div className="panel-head">
            <span className="mono small">{node.wsUrl}</span>
            <span className="muted small">
              {list.length} {list.length === 1 ? 'client' : 'clients'}
              {clients ? ` · as of ${formatClock(clients.atMs)}` : ''}
            </span>
          </div>
          <VirtualRows
            rows={list}
            rowKey={(c) => String(c.etid)}
            label={`Clients of ${node.id}`}
            className="clients-grid"
            header={
              <>
                <span role="columnheader">ETID</span>
                <span role="columnheader">UID</span>
                <span role="columnheader">IP</span>
                <span role="columnheader">Transport</span>
                <span role="columnheader">Info</span>
                <span role="columnheader">Subscriptions</span>
                <span role="columnheader" className="num">
                  Msgs in/out
                </span>
                <span role="columnheader" className="num">
                  Bytes in/out
                </span>
                <span role="columnheader">Since</span>
                <span role="columnheader">
                  <span className="sr-only">Actions</span>
                </span>
              </>
            }
            renderRow={(c) => (
              <>
                <span role="cell" className="mono">
                  {formatEtid(c.etid)}
                </span>
                <span role="cell" className="mono muted ellipsis" title={c.uid}>
                  {c.uid}
                </span>
                <span role="cell" className="mono">
                  {c.ip}
                </span>
                <span role="cell">
                  <span className="badge">{c.transport === 'ws' ? 'WebSocket' : 'raw TCP'}</span>
                </span>
                <span role="cell" className="ellipsis" title={c.info}>
                  {c.info || <span className="muted">–</span>}
                </span>
                <span role="cell" className="ellipsis small" title={c.subscriptions.join('\n')}>
                  {c.subscriptions.length ? c.subscriptions.join(', ') : <span className="muted">none</span>}
                </span>
                <span role="cell" className="num mono">
                  {formatCount(c.msgsIn)} / {formatCount(c.msgsOut)}
                </span>
                <span role="cell" className="num mono">
                  {formatBytes(c.bytesIn)} / {formatBytes(c.bytesOut)}
                </span>
                <span role="cell" className="muted">
                  {formatClock(c.connectedAtMs)}
                </span>
                <span role="cell" className="actions">
                  <ActionButton
                    action={`Disconnect ${formatEtid(c.etid)}`}
                    run={async () => {
                      await host.call('disconnectClient', { nodeId: node.id, etid: c.etid });
                      await refresh();
                    }}
                    variant="ghost"
                    className="btn-icon"
                    ariaLabel={`Disconnect client ${formatEtid(c.etid)}${c.info ? ` (${c.info})` : ''}`}
                    title="Close this client's connection"
                  >
                    <IconUnplug />
                  </ActionButton>
                </span>
              </>
            )}
          />
        </section>
      )}
    </div>
  );
}
