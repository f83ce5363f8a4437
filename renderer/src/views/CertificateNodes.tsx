import { useState } from 'react';
import type { NodeCertificateView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { describeError } from '../ui/errors.js';

/** "n1", "n1 and n2", "n1, n2 and n3". */
function listIds(ids: readonly string[]): string {
  return ids.length < 2 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/**
 * Which certificate each up node serves. Nodes read theirs when they start, so after a renewal
 * the running ones serve the previous one until restarted: this offers the restart, one node at a
 * time so the others keep serving its clients, then `onRestarted` reads the nodes again.
 */
export function CertificateNodes({
  nodes,
  onRestarted,
}: {
  nodes: readonly NodeCertificateView[];
  onRestarted: () => Promise<unknown>;
}) {
  const host = useHost();
  const [restarting, setRestarting] = useState<string | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const stale = nodes.filter((n) => !n.current && n.fingerprint256 !== null).map((n) => n.nodeId);

  const restart = async (): Promise<void> => {
    setError(null);
    try {
      for (const nodeId of stale) {
        setRestarting(nodeId);
        await host.call('restartNode', { nodeId });
      }
    } catch (e) {
      setError(describeError(e));
    } finally {
      setRestarting(null);
      await onRestarted();
    }
  };

  if (nodes.length === 0) return <p className="muted small">No node is up: each takes it when it starts.</p>;
  return (
    <>
      <ul className="cert-nodes" data-testid="cert-nodes">
        {nodes.map((n) => (
          <li key={n.nodeId} data-testid={`cert-node-${n.nodeId}`} data-current={n.current || undefined}>
            <span className="mono">{n.nodeId}</span>
            <span className={n.current ? 'cert-node-ok' : 'cert-node-stale'}>
              {n.current
                ? 'serves this certificate'
                : n.fingerprint256 === null
                  ? 'did not answer'
                  : 'serves the previous certificate'}
            </span>
          </li>
        ))}
      </ul>
      {stale.length > 0 && (
        <div className="cert-restart" role="note" data-testid="cert-restart-note">
          <p className="small">
            {listIds(stale)} {stale.length === 1 ? 'serves' : 'serve'} the new certificate once restarted;
            their clients reconnect to the other nodes meanwhile. Clients that trust the CA accept both.
          </p>
          <button
            type="button"
            className="btn btn-primary"
            aria-busy={restarting !== null || undefined}
            aria-disabled={restarting !== null || undefined}
            onClick={() => void (restarting === null && restart())}
            data-testid="cert-restart"
          >
            {restarting
              ? `Restarting ${restarting}…`
              : `Restart ${listIds(stale)}${stale.length > 1 ? ' one at a time' : ''}`}
          </button>
        </div>
      )}
      {error && (
        <p className="inline-alert" role="alert" data-testid="cert-restart-error">
          <code>{error.code}</code>
          {error.message}
        </p>
      )}
    </>
  );
}
