import { useMemo, useState, type CSSProperties } from 'react';
import type { ClusterSnapshot, StatsTick } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { ActionButton } from '../ui/ActionButton.js';
import { ConfirmButton } from '../ui/ConfirmButton.js';
import { byNodeId } from '../ui/cluster.js';
import { IconPlus, IconTrash, IconUnplug } from '../ui/icons.js';
import { readLayout, saveLayout } from '../ui/layout.js';
import { Splitter } from '../ui/Splitter.js';
import type { Theme } from '../ui/theme.js';
import { LinksTable } from './LinksTable.js';
import { NatsTable } from './NatsTable.js';
import { hubStateText } from './natsText.js';
import { NodeCard } from './NodeCard.js';
import { TlsBadge } from './ConnectDevicePanel.js';
import { CertificateButton } from './CertificatePanel.js';
import { Topology } from './Topology.js';

/** Deliveries per second per node from consecutive stats ticks (a restart resets counters: 0). */
export function ratesByNode(stats: StatsTick[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 1; i < stats.length; i++) {
    const prev = stats[i - 1]!;
    const cur = stats[i]!;
    const dt = (cur.atMs - prev.atMs) / 1000;
    if (dt <= 0) continue;
    for (const n of cur.nodes) {
      const p = prev.nodes.find((x) => x.id === n.id);
      const rate = p ? Math.max(0, (n.msgsOut - p.msgsOut) / dt) : 0;
      const list = out.get(n.id) ?? [];
      list.push(rate);
      out.set(n.id, list);
    }
  }
  return out;
}

export function ClusterView({
  snapshot,
  stats,
  theme,
}: {
  snapshot: ClusterSnapshot;
  stats: StatsTick[];
  theme: Theme;
}) {
  const host = useHost();
  const [selectedLink, setSelectedLink] = useState<string | null>(null);
  const [sizes, setSizes] = useState(() => {
    const l = readLayout();
    return { linksWidth: l.linksWidth ?? 440, topHeight: l.topHeight ?? 360 };
  });
  const resize =
    (key: 'linksWidth' | 'topHeight') =>
    (value: number, done: boolean): void => {
      setSizes((s) => ({ ...s, [key]: value }));
      if (done) saveLayout({ [key]: value });
    };
  const splitStyle = {
    '--links-w': `${sizes.linksWidth}px`,
    '--top-h': `${sizes.topHeight}px`,
  } as CSSProperties;
  const rates = useMemo(() => ratesByNode(stats), [stats]);
  const nodes = useMemo(() => [...snapshot.nodes].sort((a, b) => byNodeId(a.id, b.id)), [snapshot.nodes]);
  const up = nodes.filter((n) => n.state === 'up').length;
  const linksUp = snapshot.links.filter((l) => l.state === 'up').length;
  const remote = snapshot.kind === 'remote';

  return (
    <div className="view cluster-view">
      <div className="toolbar">
        <div className="toolbar-title">
          <h2>Cluster</h2>
          {remote && (
            <span
              className="badge badge-remote"
              data-testid="cluster-remote"
              title="Nodes that run elsewhere, watched by URL and admin token: the app cannot start, stop or kill them"
            >
              remote · <span className="mono">{snapshot.profile}</span>
            </span>
          )}
          {snapshot.tls && <TlsBadge testId="cluster-tls" />}
          {remote && snapshot.caFile !== null && (
            <span className="muted" data-testid="cluster-ca" title="The CA the app verifies these nodes with">
              CA <span className="mono">{snapshot.caFile}</span>
            </span>
          )}
          <span className="muted">
            {!remote && (
              <>
                profile <strong className="mono">{snapshot.profile}</strong> ·{' '}
              </>
            )}
            {up}/{nodes.length} nodes up ·{' '}
            {snapshot.transport === 'nats'
              ? `on NATS (${hubStateText(snapshot.natsServer)})`
              : `${linksUp}/${snapshot.links.length} links up`}{' '}
            · {snapshot.devices.length} devices
          </span>
        </div>
        <div className="toolbar-actions">
          {/* A local TLS cluster's certificate is the host's own (caFile): renewable here. */}
          {!remote && snapshot.caFile !== null && <CertificateButton nodes={nodes} />}
          {!remote && (
            <ActionButton
              action="Add node"
              run={() => host.call('addNode', {})}
              variant="primary"
              testId="add-node"
            >
              <IconPlus /> Add node
            </ActionButton>
          )}
          {remote ? (
            <ConfirmButton
              action="Detach"
              run={() => host.call('destroyCluster', {})}
              confirmLabel="Stop watching? The nodes run on."
            >
              <IconUnplug /> Detach
            </ConfirmButton>
          ) : (
            <ConfirmButton
              action="Destroy cluster"
              run={() => host.call('destroyCluster', {})}
              confirmLabel="Stop every node and device?"
            >
              <IconTrash /> Destroy cluster
            </ConfirmButton>
          )}
        </div>
      </div>

      <div className="cluster-top" style={splitStyle}>
        <section className="panel topology-panel" aria-label="Topology" id="topology-panel">
          <Topology
            snapshot={snapshot}
            theme={theme}
            selectedLink={selectedLink}
            onSelectLink={setSelectedLink}
          />
        </section>
        <Splitter
          orientation="vertical"
          value={sizes.linksWidth}
          min={260}
          max={900}
          direction={-1}
          label="Resize the links panel"
          controls="links-panel"
          onChange={resize('linksWidth')}
        />
        <section className="panel links-panel" aria-labelledby="links-title" id="links-panel">
          <header className="panel-head">
            <h3 id="links-title">{snapshot.transport === 'nats' ? 'NATS' : 'Links'}</h3>
            <span className="muted small">
              {snapshot.transport === 'nats' ? 'each node’s connection, no links' : 'full mesh, one hop'}
            </span>
          </header>
          <div className="panel-body scroll">
            {snapshot.transport === 'nats' ? (
              <NatsTable nodes={nodes} />
            ) : (
              <LinksTable links={snapshot.links} selected={selectedLink} onSelect={setSelectedLink} />
            )}
          </div>
        </section>
      </div>

      <Splitter
        orientation="horizontal"
        value={sizes.topHeight}
        min={220}
        max={900}
        direction={1}
        label="Resize the topology"
        controls="topology-panel"
        onChange={resize('topHeight')}
      />

      <div className="node-grid" aria-label="Nodes">
        {nodes.map((n) => (
          <NodeCard
            key={n.id}
            node={n}
            rates={rates.get(n.id) ?? []}
            remote={remote}
            caFile={snapshot.caFile}
          />
        ))}
      </div>
    </div>
  );
}
