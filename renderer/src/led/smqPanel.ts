import { connect } from '../../../broker/src/client/browser.js';
import { DisplayModel } from '../../../broker/src/devices/browser.js';

/**
 * A panel's SMQ display: a real client of ONE node (its WebSocket URL only, no fallback list, so
 * the panel shows that node's view of the cluster), with the LED display model on top. While the
 * node is down it retries every second or two, and shows the node again as soon as it is back.
 */
export function smqPanel(wsUrl: string): DisplayModel {
  return new DisplayModel(() =>
    connect(wsUrl, {
      info: 'SMQ Control Center LED panel',
      reconnect: { minDelayMs: 250, maxDelayMs: 2000 },
    }),
  );
}
