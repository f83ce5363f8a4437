/**
 * The heap probe's load: `devices` device connections (W3: Create + publish; W4 with --hold: one
 * Subscribe each) and `displays` subscribers of /m2m/led/device, built from the bench's lean
 * clients. On 'publish' each device publishes once a second until 'stop'.
 * argv: port proto devices displays hold(0|1)
 */
import { performance } from 'node:perf_hooks';
import { connectClient } from '../load/clients.js';
import type { Conn } from '../load/conn.js';
import type { Proto } from '../lib/types.js';
import type { FleetReply } from './types.js';

const [port, proto, devices, displays, hold] = process.argv.slice(2);
const reply = (r: FleetReply): boolean => process.send!(r);
const open = (spec: Parameters<typeof connectClient>[2]): Promise<Conn> =>
  connectClient(proto as Proto, Number(port), spec);

let delivered = 0;
for (let i = 0; i < Number(displays); i++) {
  const c = await open({ uid: `display${i}`, subscribe: '/m2m/led/device' });
  c.onBody = () => void delivered++;
}
const pubs: Conn[] = [];
let next = 0;
const n = Number(devices);
await Promise.all(
  Array.from({ length: 100 }, async () => {
    while (next < n) {
      const i = next++;
      const spec = hold === '1' ? { subscribe: '/m2m/led/display' } : { publish: '/m2m/led/device' };
      pubs.push(await open({ uid: `device${i}`, ...spec }));
    }
  }),
);
reply({ kind: 'connected', connections: pubs.length + Number(displays) });

let timer: NodeJS.Timeout | undefined;
process.on('message', (m: string) => {
  if (m === 'publish') {
    const t0 = performance.now();
    let sent = 0;
    timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) * pubs.length) / 1000) - sent;
      for (let k = 0; k < due; k++, sent++) {
        const p = pubs[sent % pubs.length]!;
        p.send(p.template);
      }
    }, 1);
  } else if (m === 'stop') {
    clearInterval(timer);
    reply({ kind: 'stopped', delivered });
  } else process.exit(0);
});
