import { useCallback, useSyncExternalStore } from 'react';
import type { NodeState } from '../../../contract/hostContract.js';
import type { DisplayDevice, DisplaySnapshot } from '../../../broker/src/devices/browser.js';
import { formatEtid, formatTemp } from '../ui/format.js';
import { IconClose } from '../ui/icons.js';
import { useToasts } from '../ui/Toasts.js';
import type { OpenPanel } from './PanelSet.js';
import { TlsTrustHint } from './TlsTrustHint.js';

function connectionText(s: DisplaySnapshot): string {
  switch (s.connection) {
    case 'connecting':
      return s.lastError ? 'cannot connect · retrying' : 'connecting…';
    case 'connected':
      return `online · ETID ${formatEtid(s.etid ?? null)}`;
    case 'reconnecting':
      return 'node unreachable · retrying';
    case 'closed':
      return `closed${s.lastError ? `: ${s.lastError}` : ''}`;
  }
}

const DOT: Record<DisplaySnapshot['connection'], string> = {
  connecting: 'dot-starting',
  connected: 'dot-up',
  reconnecting: 'dot-crashed',
  closed: 'dot-stopped',
};

/**
 * One SMQ display bound to one node: its devices, LEDs as toggle buttons, temperatures. A click
 * only publishes the command to the device's ETID; the button changes when the device's `led`
 * broadcast comes back through the cluster (DisplayModel), never from local state.
 */
export function LedPanel({
  panel,
  nodeState,
  partitioned,
  tls,
  onClose,
}: {
  panel: OpenPanel;
  nodeState: NodeState | undefined;
  partitioned: boolean;
  /** The cluster serves TLS only: a failed connect may be this browser not trusting its CA. */
  tls: { caFile: string | null } | null;
  onClose: () => void;
}) {
  const { model, nodeId } = panel;
  const { notify } = useToasts();
  const subscribe = useCallback((onChange: () => void) => model.subscribe(() => onChange()), [model]);
  const getSnapshot = useCallback(() => model.getSnapshot(), [model]);
  const s = useSyncExternalStore(subscribe, getSnapshot);
  const online = s.connection === 'connected';
  const failedOnTls = tls !== null && !online && s.lastError !== undefined && nodeState === 'up';

  const toggle = (d: DisplayDevice, ledId: number, on: boolean): void => {
    if (!model.setLed(d.etid, ledId, on)) {
      notify({
        tone: 'error',
        title: `LED command not sent`,
        code: 'PanelOffline',
        message: `The panel on ${nodeId} is not connected, or ${d.devname} left.`,
      });
    }
  };

  return (
    <section
      className="led-panel"
      aria-label={`LED panel on ${nodeId}`}
      data-testid={`led-panel-${nodeId}`}
      data-panel-id={panel.id}
    >
      <header className="led-panel-head">
        <span className={`dot ${DOT[s.connection]}`} aria-hidden="true" />
        <h3>Panel on {nodeId}</h3>
        <span
          className="muted small"
          data-testid="panel-connection"
          data-state={s.connection}
          title={s.lastError}
        >
          {connectionText(s)}
        </span>
        <span className="card-head-spacer" />
        <button
          type="button"
          className="icon-button"
          aria-label={`Close the panel on ${nodeId}`}
          onClick={onClose}
        >
          <IconClose />
        </button>
      </header>
      <div className="led-panel-url mono small muted" title="The node this panel's SMQ client connects to">
        {panel.wsUrl}
      </div>
      <div className="led-panel-body">
        {!online && nodeState && nodeState !== 'up' ? (
          <p className="empty-small">
            {nodeId} is {nodeState}. This panel reconnects when it is up again; its devices moved to the other
            nodes meanwhile.
          </p>
        ) : failedOnTls ? (
          <TlsTrustHint wsUrl={panel.wsUrl} caFile={tls.caFile} />
        ) : s.devices.length === 0 ? (
          <p className="empty-small">
            {!online
              ? 'Waiting for the node…'
              : partitioned
                ? `No devices reachable from ${nodeId}: the cluster is partitioned. Devices come back when the links heal.`
                : 'No devices answered yet. Add devices in the Devices view.'}
          </p>
        ) : (
          <ul className="led-devices">
            {s.devices.map((d) => (
              <PanelDeviceRow
                key={d.etid}
                device={d}
                disabled={!online}
                onToggle={(ledId, on) => toggle(d, ledId, on)}
              />
            ))}
          </ul>
        )}
      </div>
      <footer className="led-panel-foot muted small">
        {online ? (
          <>
            <span data-testid="panel-device-count">{s.devices.length}</span> devices
            {s.devicesOnline !== undefined && ` · ${s.devicesOnline} online cluster-wide`}
          </>
        ) : (
          <span>offline{s.lastError ? ` · ${s.lastError}` : ''}</span>
        )}
        {s.rejected > 0 && ` · ${s.rejected} bad messages ignored`}
      </footer>
    </section>
  );
}

function PanelDeviceRow({
  device: d,
  disabled,
  onToggle,
}: {
  device: DisplayDevice;
  disabled: boolean;
  onToggle: (ledId: number, on: boolean) => void;
}) {
  return (
    <li className="led-device" data-testid={`panel-device-${d.devname}`}>
      <div className="led-device-head">
        <span className="led-device-name">{d.devname}</span>
        <span className="mono small muted">{d.ipaddr}</span>
        <span className="card-head-spacer" />
        {d.temp !== undefined && <span className="mono small temp">{formatTemp(d.temp)}</span>}
      </div>
      <div className="led-buttons" role="group" aria-label={`${d.devname} LEDs`}>
        {d.leds.map((l) => (
          <button
            key={l.id}
            type="button"
            className={`led-button led-${l.color}${l.on ? ' on' : ''}`}
            aria-pressed={l.on}
            aria-label={`${d.devname} ${l.name} (${l.color})`}
            data-testid={`led-${d.devname}-${l.id}`}
            disabled={disabled}
            onClick={() => onToggle(l.id, !l.on)}
          >
            <span className="led-lamp" aria-hidden="true" />
            <span className="led-name">{l.name}</span>
          </button>
        ))}
      </div>
    </li>
  );
}
