import { useMemo, useState } from 'react';
import type { ClusterSnapshot, DeviceView, FleetSpread, FleetView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { ActionButton } from '../ui/ActionButton.js';
import { byNodeId } from '../ui/cluster.js';
import { formatEtid, formatTemp } from '../ui/format.js';
import { IconDevices, IconStop } from '../ui/icons.js';
import { LedDots } from '../ui/Leds.js';
import { useToasts } from '../ui/Toasts.js';
import { VirtualRows } from '../ui/VirtualRows.js';

/** Every device in the cluster (from the host's snapshot), with fleets to add and stop them. */
export function DevicesView({ snapshot }: { snapshot: ClusterSnapshot }) {
  const [filter, setFilter] = useState('');
  const devices = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const list = f
      ? snapshot.devices.filter((d) =>
          [d.name, d.nodeId ?? 'reconnecting', d.uid, d.fleetId].some((s) => s.toLowerCase().includes(f)),
        )
      : snapshot.devices;
    return [...list].sort((a, b) => byNodeId(a.name, b.name));
  }, [snapshot.devices, filter]);
  const perNode = useMemo(() => spread(snapshot), [snapshot]);

  return (
    <div className="view devices-view">
      <div className="toolbar">
        <div className="toolbar-title">
          <h2>Devices</h2>
          <span className="muted" data-testid="device-spread">
            {snapshot.devices.length} devices
            {perNode.map(([node, n]) => (
              <span key={node} className="spread-chip">
                {node} <strong>{n}</strong>
              </span>
            ))}
          </span>
        </div>
        <AddDevices snapshot={snapshot} />
      </div>

      {snapshot.fleets.length > 0 && <Fleets fleets={snapshot.fleets} devices={snapshot.devices} />}

      {snapshot.devices.length === 0 ? (
        <div className="empty-inline">
          <IconDevices />
          <div>
            <strong>No devices yet.</strong> Add simulated LED devices above: each starts on a node picked at
            random and fails over to the others, or all stay on one node. Real devices (the C LED example, an
            ESP32) can connect to any node URL too.
          </div>
        </div>
      ) : (
        <section className="panel grow">
          <div className="panel-head">
            <input
              className="search"
              type="search"
              placeholder="Filter by name, node, uid, fleet"
              aria-label="Filter devices"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <span className="muted small">
              {devices.length === snapshot.devices.length
                ? `${devices.length} shown`
                : `${devices.length} of ${snapshot.devices.length} shown`}
            </span>
          </div>
          {devices.length === 0 ? (
            <div className="empty-small" role="status" data-testid="devices-no-match">
              No device matches “{filter.trim()}”.{' '}
              <button type="button" className="btn btn-ghost" onClick={() => setFilter('')}>
                Clear the filter
              </button>
            </div>
          ) : (
            <VirtualRows
              rows={devices}
              rowKey={(d) => d.name}
              label="Devices"
              className="devices-grid"
              header={
                <>
                  <span role="columnheader">Device</span>
                  <span role="columnheader">Node</span>
                  <span role="columnheader">ETID</span>
                  <span role="columnheader">UID</span>
                  <span role="columnheader">LEDs</span>
                  <span role="columnheader" className="num">
                    Temp
                  </span>
                  <span role="columnheader">Fleet</span>
                </>
              }
              renderRow={(d) => <DeviceRow device={d} />}
            />
          )}
        </section>
      )}
    </div>
  );
}

function DeviceRow({ device: d }: { device: DeviceView }) {
  return (
    <>
      <span role="cell" className="cell-main" data-testid={`device-${d.name}`}>
        <span className={`dot ${d.connected ? 'dot-up' : 'dot-starting'}`} aria-hidden="true" />
        {d.name}
        {!d.simulated && (
          <span className="badge" title="Not simulated: a device that connected to the node by itself">
            real
          </span>
        )}
      </span>
      <span role="cell" data-testid={`device-node-${d.name}`}>
        {d.nodeId && d.connected ? (
          <span className="badge badge-node">{d.nodeId}</span>
        ) : (
          <span className="muted">reconnecting…</span>
        )}
      </span>
      <span role="cell" className="mono">
        {d.connected ? formatEtid(d.etid) : '–'}
      </span>
      <span role="cell" className="mono muted">
        {d.uid}
      </span>
      <span role="cell">
        <LedDots leds={d.leds} />
      </span>
      <span role="cell" className="num mono">
        {formatTemp(d.temp)}
      </span>
      <span role="cell" className="muted">
        {d.simulated ? d.fleetId : '—'}
      </span>
    </>
  );
}

/** Devices per node, and how many are between nodes. */
function spread(s: ClusterSnapshot): [string, number][] {
  const counts = new Map<string, number>();
  for (const d of s.devices) {
    const k = d.connected && d.nodeId ? d.nodeId : 'reconnecting';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) =>
    a === 'reconnecting' ? 1 : b === 'reconnecting' ? -1 : byNodeId(a, b),
  );
}

function AddDevices({ snapshot }: { snapshot: ClusterSnapshot }) {
  const host = useHost();
  const { run, notify } = useToasts();
  const [count, setCount] = useState(4);
  const [target, setTarget] = useState('random');
  const [busy, setBusy] = useState(false);
  const valid = Number.isInteger(count) && count >= 1 && count <= 1000;
  return (
    <form
      className="toolbar-actions inline-form"
      aria-label="Add devices"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!valid) return;
        setBusy(true);
        const fleetSpread: FleetSpread =
          target === 'random' ? { kind: 'random' } : { kind: 'pinned', nodeId: target };
        const r = await run('Add devices', () => host.call('startFleet', { count, spread: fleetSpread }));
        if (r)
          notify({
            tone: 'success',
            title: `Started ${count} device${count === 1 ? '' : 's'} (${r.fleetId})`,
          });
        setBusy(false);
      }}
    >
      <label className="field field-inline">
        <span>Count</span>
        <input
          type="number"
          min={1}
          max={1000}
          value={Number.isNaN(count) ? '' : count}
          onChange={(e) => setCount(e.target.valueAsNumber)}
        />
      </label>
      <label className="field field-inline">
        <span>Spread</span>
        <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Spread">
          <option value="random">Random node per device</option>
          {snapshot.nodes.map((n) => (
            <option key={n.id} value={n.id}>
              Pinned to {n.id}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        className="btn btn-primary"
        disabled={!valid || busy}
        aria-busy={busy || undefined}
      >
        Add devices
      </button>
    </form>
  );
}

function Fleets({ fleets, devices }: { fleets: FleetView[]; devices: DeviceView[] }) {
  const host = useHost();
  return (
    <ul className="fleets" aria-label="Fleets">
      {fleets.map((f) => {
        const connected = devices.filter((d) => d.fleetId === f.id && d.connected).length;
        return (
          <li key={f.id} className="fleet">
            <span className="mono">{f.id}</span>
            <span className="muted small">
              {f.namePrefix}* · {connected}/{f.count} connected ·{' '}
              {f.spread.kind === 'random' ? 'random spread' : `pinned to ${f.spread.nodeId}`}
            </span>
            <ActionButton
              action={`Stop fleet ${f.id}`}
              run={() => host.call('stopFleet', { fleetId: f.id })}
              variant="ghost"
              ariaLabel={`Stop fleet ${f.id}`}
            >
              <IconStop /> Stop
            </ActionButton>
          </li>
        );
      })}
    </ul>
  );
}
