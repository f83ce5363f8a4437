import { useState } from 'react';
import { useClusterStore, useHost } from '../host/HostContext.js';
import { useToasts } from '../ui/Toasts.js';
import { IconCluster } from '../ui/icons.js';

/** No cluster yet: what to do next, and the one form that does it. */
export function EmptyCluster() {
  const host = useHost();
  const store = useClusterStore();
  const { run } = useToasts();
  const [nodes, setNodes] = useState(3);
  const [busy, setBusy] = useState(false);
  const valid = Number.isInteger(nodes) && nodes >= 1 && nodes <= 16;

  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <div className="empty-icon">
        <IconCluster />
      </div>
      <h2 id="empty-title">No cluster yet</h2>
      <p className="muted">
        Start a local cluster: SMQ broker nodes on free loopback ports, linked in a full mesh. Then add
        simulated LED devices, open LED panels on different nodes, and watch them stay in sync.
      </p>
      <form
        className="empty-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!valid) return;
          setBusy(true);
          const snapshot = await run('Create cluster', () => host.call('createCluster', { nodes }));
          if (snapshot) store.accept(snapshot);
          setBusy(false);
        }}
      >
        <label className="field">
          <span>Nodes</span>
          <input
            type="number"
            min={1}
            max={16}
            value={Number.isNaN(nodes) ? '' : nodes}
            onChange={(e) => setNodes(e.target.valueAsNumber)}
            aria-describedby="nodes-help"
          />
        </label>
        <button
          type="submit"
          className="btn btn-primary btn-lg"
          disabled={!valid || busy}
          aria-busy={busy || undefined}
        >
          {busy ? 'Starting nodes…' : 'New local cluster'}
        </button>
      </form>
      <p id="nodes-help" className="hint">
        1 to 16 nodes. A random cluster secret is generated; the profile is saved and restored on the next
        start.
      </p>
    </section>
  );
}
