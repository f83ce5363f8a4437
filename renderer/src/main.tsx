import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ConnectionDetails } from '../../contract/hostContract.js';
import { App } from './App.js';
import { ClusterStore } from './host/ClusterStore.js';
import { HostClient, hostSocketUrl } from './host/HostClient.js';
import { HostProvider } from './host/HostContext.js';
import { PanelSet } from './led/PanelSet.js';
import { InspectorStore, MAX_ROWS } from './inspector/InspectorStore.js';
import { smqPanel } from './led/smqPanel.js';
import { pageStorage } from './ui/layout.js';
import { applyStoredTheme } from './ui/theme.js';
import { ToastProvider } from './ui/Toasts.js';
import './styles/theme.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/feedback.css';
import './styles/controls.css';
import './styles/cluster.css';
import './styles/tables.css';
import './styles/led.css';
import './styles/inspector.css';
import './styles/load.css';

declare global {
  interface Window {
    /** Set by the Electron preload (frozen); absent in browser mode, where the page's origin is the host. */
    readonly smqConnection?: ConnectionDetails;
  }
}

applyStoredTheme();

const host = new HostClient({
  url: hostSocketUrl(window.smqConnection, window.location),
  // The page's origin is the host: a 401 here means the host restarted with a new token.
  probe: () =>
    fetch('/connection.json', { cache: 'no-store' }).then(
      (r) => (r.status === 401 ? 'unauthorized' : 'ok'),
      () => 'unreachable',
    ),
});
const store = new ClusterStore(host, host);
// Part of the layout: open panels come back after a reload and after the app restarts.
const panels = new PanelSet(smqPanel, pageStorage());
panels.restore();
// Its filter is part of the layout too: it survives the reload the CSP guard makes for a new node.
const inspector = new InspectorStore(host, host, MAX_ROWS, pageStorage());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ToastProvider>
      <HostProvider host={host} store={store}>
        <App panels={panels} inspector={inspector} />
      </HostProvider>
    </ToastProvider>
  </StrictMode>,
);
