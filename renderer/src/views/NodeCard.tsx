import type { NodeView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { ActionButton } from '../ui/ActionButton.js';
import { ConfirmButton } from '../ui/ConfirmButton.js';
import { formatBytes, formatCount, formatDuration, formatRate } from '../ui/format.js';
import { IconKill, IconPlay, IconRestart, IconStop, IconTrash } from '../ui/icons.js';
import { Sparkline } from '../ui/Sparkline.js';
import { isDown } from '../ui/cluster.js';
import { DrainSection } from './DrainControl.js';
import { ConnectDevice, isTlsNode, TlsBadge } from './ConnectDevicePanel.js';
import { NatsState } from './NatsHub.js';

/**
 * One node: state, load, counters, and its lifecycle actions. A remote node runs elsewhere: no
 * start/stop/kill (links stay cuttable in the links table and the topology).
 */
export function NodeCard({
  node,
  rates,
  remote,
  caFile,
}: {
  node: NodeView;
  rates: number[];
  remote: boolean;
  /** The CA of the host's own TLS nodes, for "Connect a device". */
  caFile: string | null;
}) {
  const up = node.state === 'up';
  const nodeId = node.id;
  return (
    <article
      className={`card node-card state-${node.state}`}
      aria-labelledby={`node-${nodeId}-title`}
      data-testid={`node-card-${nodeId}`}
      tabIndex={-1}
    >
      <header className="card-head">
        <span className={`dot dot-${node.state}`} aria-hidden="true" />
        <h3 id={`node-${nodeId}-title`} title={nodeId}>
          {nodeId}
        </h3>
        <span className={`badge badge-${node.state}`} data-testid={`node-state-${nodeId}`}>
          {node.state}
        </span>
        {isTlsNode(node) && <TlsBadge testId={`node-tls-${nodeId}`} />}
        <span className="card-head-spacer" />
        <span className="mono muted small" title="WebSocket URL for clients and devices">
          {node.host}:{node.port}
        </span>
      </header>
      <div className="node-load">
        <div>
          <div className="metric-big" data-testid={`node-rate-${nodeId}`}>
            {up ? formatRate(node.msgsPerSec) : '—'}
            {up && <span className="metric-unit"> msg/s</span>}
          </div>
          <div className="metric-label">delivered out</div>
        </div>
        <Sparkline values={rates} label={`${nodeId} deliveries per second, recent ticks`} />
      </div>
      <dl className="metrics">
        {/* A node that is not up reports nothing: its counts are unknown (—), not zero. */}
        <Metric
          label="Clients"
          value={up ? formatCount(node.clients) : '—'}
          testId={`node-clients-${nodeId}`}
        />
        <Metric
          label="Subscriptions"
          value={up ? formatCount(node.subscriptions) : '—'}
          testId={`node-subscriptions-${nodeId}`}
        />
        <Metric label="Topics" value={up ? formatCount(node.topics) : '—'} />
        <Metric label="Uptime" value={up ? formatDuration(node.uptimeMs) : '—'} />
        <Metric label="Msgs in / out" value={`${formatCount(node.msgsIn)} / ${formatCount(node.msgsOut)}`} />
        <Metric
          label="Bytes in / out"
          value={`${formatBytes(node.bytesIn)} / ${formatBytes(node.bytesOut)}`}
        />
      </dl>
      <NatsState node={node} />
      <ConnectDevice node={node} remote={remote} caFile={caFile} />
      <DrainSection node={node} />
      {node.lastError && !up && (
        <p className="inline-alert" role="status">
          <code>{node.lastError.code}</code> {node.lastError.message}
        </p>
      )}
      {remote ? (
        <footer className="card-actions card-note muted small" data-testid={`node-remote-${nodeId}`}>
          Runs elsewhere: start, stop or kill it on its host.
        </footer>
      ) : (
        <LocalActions node={node} />
      )}
    </article>
  );
}

/**
 * Start/stop, restart, kill and remove: what the host can do to a node it runs. The visible text
 * stays short; the accessible names carry the node ("Stop n1"), as every card has the same buttons.
 */
function LocalActions({ node }: { node: NodeView }) {
  const host = useHost();
  const up = node.state === 'up';
  const down = isDown(node);
  const nodeId = node.id;
  return (
    <footer className="card-actions" aria-label={`${nodeId} actions`}>
      {down ? (
        <ActionButton
          action={`Start ${nodeId}`}
          ariaLabel={`Start ${nodeId}`}
          run={() => host.call('startNode', { nodeId })}
          variant="primary"
          testId={`start-${nodeId}`}
        >
          <IconPlay /> Start
        </ActionButton>
      ) : (
        <ActionButton
          action={`Stop ${nodeId}`}
          ariaLabel={`Stop ${nodeId}`}
          run={() => host.call('stopNode', { nodeId })}
          disabled={!up}
          testId={`stop-${nodeId}`}
          title="Clean stop (SIGTERM): clients reconnect elsewhere"
        >
          <IconStop /> Stop
        </ActionButton>
      )}
      <ActionButton
        action={`Restart ${nodeId}`}
        ariaLabel={`Restart ${nodeId}`}
        run={() => host.call('restartNode', { nodeId })}
        disabled={node.state === 'starting' || node.state === 'stopping'}
        testId={`restart-${nodeId}`}
      >
        <IconRestart /> Restart
      </ActionButton>
      <ActionButton
        action={`Kill ${nodeId}`}
        ariaLabel={`Kill ${nodeId}`}
        run={() => host.call('killNode', { nodeId })}
        variant="danger"
        disabled={!up && node.state !== 'starting'}
        title="SIGKILL: a crash, as a power cut would do it"
        testId={`kill-${nodeId}`}
      >
        <IconKill /> Kill
      </ActionButton>
      <span className="card-head-spacer" />
      <ConfirmButton
        action={`Remove ${nodeId}`}
        run={() => host.call('removeNode', { nodeId })}
        confirmLabel={`Remove ${nodeId}?`}
        ariaLabel={`Remove ${nodeId} from the cluster`}
      >
        <IconTrash /> Remove
      </ConfirmButton>
    </footer>
  );
}

function Metric({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="metric">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
