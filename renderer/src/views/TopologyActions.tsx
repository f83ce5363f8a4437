import { useEffect, useRef } from 'react';
import type { ClusterSnapshot, NodeView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { DrainButton } from './DrainControl.js';
import { ActionButton } from '../ui/ActionButton.js';
import { DOWN_STATES, linkKey } from '../ui/cluster.js';
import { formatMsgRate, formatRtt } from '../ui/format.js';
import { IconClose, IconCut, IconKill, IconLink, IconPlay, IconRestart, IconStop } from '../ui/icons.js';

export type TopoSelection = { kind: 'node'; id: string } | { kind: 'link'; key: string };

/**
 * The actions of the node or link picked in the graph (by click, or Enter/Space on it), in the strip
 * under the graph (where the legend is). Opened from the keyboard it takes focus; Escape gives it back.
 */
export function TopologyActions({
  snapshot,
  selection,
  focus,
  onClose,
}: {
  snapshot: ClusterSnapshot;
  selection: TopoSelection;
  focus: boolean;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const id = selection.kind === 'node' ? selection.id : selection.key;
  useEffect(() => {
    if (focus && ref.current) focusFirst(ref.current);
  }, [focus, id]);

  const node = selection.kind === 'node' ? snapshot.nodes.find((n) => n.id === selection.id) : undefined;
  const link =
    selection.kind === 'link' ? snapshot.links.find((l) => linkKey(l) === selection.key) : undefined;
  if (!node && !link) return null;
  const name = node ? node.id : `${link!.a} ↔ ${link!.b}`;

  return (
    <div
      ref={ref}
      id="topo-actions"
      className="topo-actions"
      role="group"
      aria-label={`${name} actions`}
      data-testid="topo-actions"
      onBlur={(e) => {
        // A button that just got disabled (Kill on a killed node) drops focus to the page: keep
        // it in the strip, on the first button that can still be pressed.
        const lost: Element & { disabled?: boolean } = e.target;
        if (e.relatedTarget !== null) return;
        requestAnimationFrame(() => {
          if (!lost.disabled && lost.isConnected) return;
          if (document.activeElement === document.body && ref.current?.isConnected) focusFirst(ref.current);
        });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="topo-actions-head">
        <strong className="mono">{name}</strong>
        <span className="muted small">
          {node &&
            (node.state === 'up'
              ? `up · ${node.clients} ${node.clients === 1 ? 'client' : 'clients'} · ${formatMsgRate(node.msgsPerSec)}`
              : node.state)}
          {link &&
            (link.state === 'up' && link.rttMs !== null ? `up · ${formatRtt(link.rttMs)}` : link.state)}
        </span>
      </div>
      <div className="topo-actions-buttons">
        {node ? (
          <NodeButtons node={node} remote={snapshot.kind === 'remote'} />
        ) : (
          <LinkButtons a={link!.a} b={link!.b} cut={link!.state === 'cut'} />
        )}
      </div>
      <button type="button" className="icon-button" aria-label={`Close ${name} actions`} onClick={onClose}>
        <IconClose />
      </button>
    </div>
  );
}

/** A remote node runs elsewhere: nothing to start, stop or kill from here, only its card to show. */
function NodeButtons({ node, remote }: { node: NodeView; remote: boolean }) {
  const host = useHost();
  const { id: nodeId, state } = node;
  const up = state === 'up';
  if (remote)
    return (
      <>
        <DrainButton node={node} />
        <ShowCard nodeId={nodeId} />
      </>
    );
  return (
    <>
      {DOWN_STATES.includes(state) ? (
        <ActionButton
          action={`Start ${nodeId}`}
          run={() => host.call('startNode', { nodeId })}
          variant="primary"
        >
          <IconPlay /> Start
        </ActionButton>
      ) : (
        <ActionButton action={`Stop ${nodeId}`} run={() => host.call('stopNode', { nodeId })} disabled={!up}>
          <IconStop /> Stop
        </ActionButton>
      )}
      <ActionButton
        action={`Restart ${nodeId}`}
        run={() => host.call('restartNode', { nodeId })}
        disabled={state === 'starting' || state === 'stopping'}
      >
        <IconRestart /> Restart
      </ActionButton>
      <ActionButton
        action={`Kill ${nodeId}`}
        run={() => host.call('killNode', { nodeId })}
        variant="danger"
        disabled={!up && state !== 'starting'}
      >
        <IconKill /> Kill
      </ActionButton>
      <DrainButton node={node} />
      <ShowCard nodeId={nodeId} />
    </>
  );
}

function ShowCard({ nodeId }: { nodeId: string }) {
  return (
    <button
      type="button"
      className="btn btn-ghost"
      onClick={() => {
        const card = document.querySelector<HTMLElement>(`[data-testid="node-card-${CSS.escape(nodeId)}"]`);
        card?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        card?.focus({ preventScroll: true });
      }}
    >
      Show card
    </button>
  );
}

function LinkButtons({ a, b, cut }: { a: string; b: string; cut: boolean }) {
  const host = useHost();
  const name = `${a} ↔ ${b}`;
  return cut ? (
    <ActionButton action={`Restore ${name}`} run={() => host.call('restoreLink', { a, b })} variant="primary">
      <IconLink /> Restore link
    </ActionButton>
  ) : (
    <ActionButton action={`Cut ${name}`} run={() => host.call('cutLink', { a, b })} variant="danger">
      <IconCut /> Cut link
    </ActionButton>
  );
}

function focusFirst(strip: HTMLElement): void {
  strip.querySelector<HTMLButtonElement>('.topo-actions-buttons button:not(:disabled)')?.focus();
}
