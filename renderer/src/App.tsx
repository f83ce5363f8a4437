import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useCluster } from './host/HostContext.js';
import type { HostStatus } from './host/HostClient.js';
import { isDown } from './ui/cluster.js';
import { describeError } from './ui/errors.js';
import {
  IconClients,
  IconCluster,
  IconDevices,
  IconInspector,
  IconLoad,
  IconMoon,
  IconPanels,
  IconSun,
  IconTopics,
} from './ui/icons.js';
import { DEFAULT_FILTER } from './inspector/InspectorFilters.js';
import { InspectorView } from './inspector/InspectorView.js';
import type { InspectorStore } from './inspector/InspectorStore.js';
import { TopicsView } from './inspector/TopicsView.js';
import { readLayout, saveLayout } from './ui/layout.js';
import { useTheme } from './ui/theme.js';
import { ClientsView } from './views/ClientsView.js';
import { ClusterBanner } from './views/ClusterBanner.js';
import { ClusterView } from './views/ClusterView.js';
import { DevicesView } from './views/DevicesView.js';
import { LoadRunsView } from './views/LoadRunsView.js';
import { EmptyCluster } from './views/EmptyCluster.js';
import { SavedProfilesMenu } from './views/ProfileList.js';
import { LedPanelsView } from './led/LedPanelsView.js';
import type { PanelSet } from './led/PanelSet.js';
import { guardConnectSrc } from './led/cspGuard.js';
import { useToasts } from './ui/Toasts.js';

const VIEWS = [
  { id: 'cluster', label: 'Cluster', icon: <IconCluster /> },
  { id: 'devices', label: 'Devices', icon: <IconDevices /> },
  { id: 'panels', label: 'LED panels', icon: <IconPanels /> },
  { id: 'clients', label: 'Clients', icon: <IconClients /> },
  { id: 'inspector', label: 'Inspector', icon: <IconInspector /> },
  { id: 'topics', label: 'Topics', icon: <IconTopics /> },
  { id: 'load', label: 'Load', icon: <IconLoad /> },
] as const;

type ViewId = (typeof VIEWS)[number]['id'];

/** The view in the URL, else the one shown last (the layout), else the cluster. */
function viewFromHash(): ViewId {
  const h = window.location.hash.replace(/^#\/?/, '') || readLayout().view;
  return VIEWS.find((v) => v.id === h)?.id ?? 'cluster';
}

/** The shell: navigation, host connection state, the cluster banner, and the current view. */
export function App({ panels, inspector }: { panels: PanelSet; inspector: InspectorStore }) {
  const { status, snapshot, stats, error, loads } = useCluster();
  const [theme, toggleTheme] = useTheme();
  const [view, setView] = useState<ViewId>(viewFromHash);
  const openPanels = useSyncExternalStore(panels.subscribe, panels.list);

  const { notify } = useToasts();
  useEffect(
    () =>
      guardConnectSrc(
        () => panels.save(),
        (b) =>
          notify({
            tone: 'error',
            title: 'LED panel blocked by the page policy',
            code: 'CspBlocked',
            message: `This page may not connect to ${b.host}. Reload it from the URL the host printed.`,
          }),
      ),
    [panels, notify],
  );

  useEffect(() => {
    if (!snapshot) return;
    if (!snapshot.exists) panels.closeAll();
    else panels.follow(snapshot.nodes.map((n) => ({ nodeId: n.id, wsUrl: n.wsUrl })));
  }, [snapshot, panels]);

  useEffect(() => saveLayout({ view }), [view]);

  useEffect(() => {
    const on = (): void => setView(viewFromHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);

  const go = (id: ViewId): void => {
    window.location.hash = `/${id}`;
    setView(id);
  };

  let content: ReactNode;
  if (!snapshot) content = <Connecting status={status} error={error} />;
  else if (!snapshot.exists) content = <EmptyCluster />;
  else if (view === 'cluster') content = <ClusterView snapshot={snapshot} stats={stats} theme={theme} />;
  else if (view === 'devices') content = <DevicesView snapshot={snapshot} />;
  else if (view === 'panels') content = <LedPanelsView snapshot={snapshot} panels={panels} />;
  else if (view === 'inspector') content = <InspectorView store={inspector} snapshot={snapshot} />;
  else if (view === 'topics')
    content = (
      <TopicsView
        store={inspector}
        onInspect={(topic) => {
          void inspector.watch({ ...inspector.startFilter(DEFAULT_FILTER), topic });
          go('inspector');
        }}
      />
    );
  else if (view === 'load') content = <LoadRunsView snapshot={snapshot} loads={loads} />;
  else content = <ClientsView snapshot={snapshot} />;

  const nodesUp = snapshot?.nodes.filter((n) => n.state === 'up').length ?? 0;
  const nodesDown = snapshot?.nodes.filter(isDown).length ?? 0;
  const loadsRunning = Object.values(loads).filter((l) => l.state === 'running').length;

  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <IconCluster />
          </span>
          <span>
            SMQ <span className="brand-sub">Control Center</span>
          </span>
        </div>
        <nav aria-label="Views">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.id}>
                <a
                  href={`#/${v.id}`}
                  className={`nav-item${view === v.id ? ' active' : ''}`}
                  aria-current={view === v.id ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    go(v.id);
                  }}
                >
                  {v.icon}
                  <span>{v.label}</span>
                  {v.id === 'cluster' && nodesDown > 0 && <span className="nav-alert">{nodesDown} down</span>}
                  {v.id === 'devices' && snapshot?.exists && (
                    <span className="nav-count">{snapshot.devices.length}</span>
                  )}
                  {v.id === 'panels' && openPanels.length > 0 && (
                    <span className="nav-count">{openPanels.length}</span>
                  )}
                  {v.id === 'load' && loadsRunning > 0 && <span className="nav-count">running</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          {snapshot?.exists && (
            <div className="side-summary">
              <span className="muted small">Cluster</span>
              <span className="mono">{snapshot.profile}</span>
              <span className="small">
                {nodesUp}/{snapshot.nodes.length} nodes up
              </span>
              <SavedProfilesMenu />
            </div>
          )}
          <HostBadge status={status} />
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <span className="crumb">{VIEWS.find((v) => v.id === view)?.label}</span>
          <span className="topbar-spacer" />
          <button
            type="button"
            className="icon-button"
            onClick={toggleTheme}
            aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
            title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
          >
            {theme === 'dark' ? <IconSun /> : <IconMoon />}
          </button>
        </header>
        {status.state !== 'open' && snapshot && <HostBanner status={status} />}
        {snapshot && <ClusterBanner snapshot={snapshot} />}
        <main className="content" id="content">
          {content}
        </main>
      </div>
    </div>
  );
}

function HostBadge({ status }: { status: HostStatus }) {
  const text =
    status.state === 'open'
      ? 'Host connected'
      : status.state === 'connecting'
        ? 'Connecting to host…'
        : 'Host connection closed';
  return (
    <div className={`host-badge host-${status.state}`} role="status" data-testid="host-status">
      <span
        className={`dot ${status.state === 'open' ? 'dot-up' : status.state === 'connecting' ? 'dot-starting' : 'dot-crashed'}`}
        aria-hidden="true"
      />
      {text}
    </div>
  );
}

function HostBanner({ status }: { status: HostStatus }) {
  return (
    <div className="banner banner-warning" role="alert">
      <div>
        <p>
          <strong>
            {status.state === 'closed' ? 'Disconnected from the host.' : 'Reconnecting to the host…'}
          </strong>{' '}
          {status.state === 'closed'
            ? status.reason
            : 'What you see may be out of date; actions wait until the connection is back.'}
        </p>
      </div>
    </div>
  );
}

function Connecting({ status, error }: { status: HostStatus; error: unknown }) {
  if (error && status.state === 'open') {
    const { code, message } = describeError(error);
    return (
      <section className="empty-state" role="alert">
        <h2>The host refused the cluster snapshot</h2>
        <p className="inline-alert">
          <code>{code}</code> {message}
        </p>
        <p className="muted">Reload the page from the URL the host printed (it carries a fresh token).</p>
      </section>
    );
  }
  return (
    <section className="empty-state" aria-live="polite">
      <div className="spinner" aria-hidden="true" />
      <h2>
        {status.state === 'closed' ? 'Disconnected from the host' : 'Connecting to the control-plane host…'}
      </h2>
      <p className="muted">
        {status.state === 'closed'
          ? status.reason
          : status.state === 'connecting' && status.lastError
            ? `Attempt ${status.attempt} failed (${status.lastError}); retrying. Is the host still running?`
            : 'The host serves this page and runs the cluster; it answers in a moment.'}
      </p>
    </section>
  );
}
