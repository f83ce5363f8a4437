import type { NodeStats } from './NodeCounters.js';

/** Where the node serves SMQ: its path, and whether the port speaks TLS. */
export interface SmqEndpoint {
  readonly smqPath: string;
  readonly secure: boolean;
}

/** The small page `/` serves when the LED page was not built; `note` says why, in its own line. */
export function renderStatusPage(stats: NodeStats, endpoint: SmqEndpoint, note?: string): string {
  const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows: [string, string | number][] = [
    ['Node', esc(stats.name)],
    ['Uptime', `${Math.round(stats.uptimeMs / 1000)} s`],
    ['Sessions', stats.sessions],
    ['Topics', stats.topics],
    ['Subscriptions', stats.subscriptions],
    ['Publishes routed', stats.publishes],
    ['Messages delivered', stats.deliveries],
    ['SMQ endpoint', esc(endpoint.smqPath)],
    ['TLS', endpoint.secure ? 'on' : 'off'],
  ];
  const schemes = endpoint.secure
    ? 'WebSocket (wss://) or raw TCP (https://)'
    : 'WebSocket (ws://) or raw TCP (http://)';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SMQ node ${esc(stats.name)}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#1d2330}table{border-collapse:collapse}
td{padding:.3rem 1rem .3rem 0}td:first-child{color:#5b6478}.note{color:#8a4b00}</style></head>
<body><h1>SMQ broker node</h1>${note ? `<p class="note">${esc(note)}</p>` : ''}<table>
${rows.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join('\n')}
</table><p>Connect SMQ clients over ${schemes} to this port.</p></body></html>
`;
}
