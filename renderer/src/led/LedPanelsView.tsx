import { useState, useSyncExternalStore } from 'react';
import type { ClusterSnapshot } from '../../../contract/hostContract.js';
import { byNodeId } from '../ui/cluster.js';
import { IconPanels, IconPlus } from '../ui/icons.js';
import { LedPanel } from './LedPanel.js';
import type { PanelSet } from './PanelSet.js';

/**
 * LED panels side by side, each a real SMQ client of the node it was opened on. What they show
 * comes from SMQ messages through the cluster, never from this page's own state: two panels on
 * two nodes agreeing is the cluster's synchronization, not React's.
 */
export function LedPanelsView({ snapshot, panels }: { snapshot: ClusterSnapshot; panels: PanelSet }) {
  const open = useSyncExternalStore(panels.subscribe, panels.list);
  const nodes = [...snapshot.nodes].sort((a, b) => byNodeId(a.id, b.id));
  const [choice, setChoice] = useState<string>('');
  // Default to the first node with no panel yet, so "Open panel" twice gives two different nodes.
  const suggested = nodes.find((n) => !open.some((p) => p.nodeId === n.id)) ?? nodes[0];
  const nodeId = nodes.some((n) => n.id === choice) ? choice : (suggested?.id ?? '');
  const node = nodes.find((n) => n.id === nodeId);

  return (
    <div className="view panels-view">
      <div className="toolbar">
        <div className="toolbar-title">
          <h2>LED panels</h2>
          <span className="muted">
            Each panel is an SMQ display connected to one node, like the LED page a node serves.
          </span>
        </div>
        <form
          className="toolbar-actions inline-form"
          aria-label="Open LED panel"
          onSubmit={(e) => {
            e.preventDefault();
            if (node) panels.open(node.id, node.wsUrl);
            setChoice('');
          }}
        >
          <label className="field field-inline">
            <span>Node</span>
            <select
              value={nodeId}
              onChange={(e) => setChoice(e.target.value)}
              aria-label="Node"
              data-testid="panel-node-select"
            >
              {nodes.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.id} ({n.state}){open.some((p) => p.nodeId === n.id) ? ' · has a panel' : ''}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn-primary" disabled={!node}>
            <IconPlus /> Open panel
          </button>
        </form>
      </div>

      {open.length === 0 ? (
        <div className="empty-inline">
          <IconPanels />
          <div>
            <strong>No panels open.</strong> Open a panel on one node and another on a different node, then
            click an LED in one: the command travels to the device through SMQ, and both panels update from
            what the device broadcasts.
          </div>
        </div>
      ) : (
        <div className="panel-strip">
          {open.map((p) => (
            <LedPanel
              key={p.id}
              panel={p}
              nodeState={snapshot.nodes.find((n) => n.id === p.nodeId)?.state}
              partitioned={snapshot.partitioned}
              tls={snapshot.tls ? { caFile: snapshot.caFile } : null}
              onClose={() => panels.close(p.id)}
            />
          ))}
        </div>
      )}
    </div>
  );
}
