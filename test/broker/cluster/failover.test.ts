import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import type { NodeProcess } from '../../helpers/nodeProcess.js';
import { meshProcesses, natsProcesses, spawnFixtureCluster } from '../../helpers/processFixture.js';
import { waitFor } from '../../helpers/waitFor.js';
import { connectClient, type SmqClient } from '../../../broker/src/index.js';

const clients: SmqClient[] = [];

/** A client on every node's URL (DNS round robin), reconnecting fast. */
async function clientOf(nodes: NodeProcess[], scheme: 'ws' | 'http', avoid?: string): Promise<SmqClient> {
  const urls = nodes.map((n) => `${scheme}://127.0.0.1:${n.port}/smq.lsp`);
  for (;;) {
    const c = connectClient(urls, { reconnect: { minDelayMs: 50, maxDelayMs: 500 } });
    await waitFor(() => c.connected, { what: 'connected' });
    const port = new URL(c.url).port;
    if (port !== avoid) {
      clients.push(c);
      return c;
    }
    c.disconnect(); // same node as the other party: try again, the pick is random
  }
}

const portOf = (c: SmqClient): string => new URL(c.url).port;

describe.each([meshProcesses(), natsProcesses()])(
  'failover over the DNS round robin of a 3-process cluster over $transport',
  (f) => {
    // Each test has its own nats-server: killAll ends every child, that one too.
    beforeEach(() => f.setUp());
    afterEach(async () => {
      for (const c of clients.splice(0)) c.disconnect();
      await Child.killAll();
      await f.tearDown();
    });
    const spawnCluster = (linked: boolean): Promise<NodeProcess[]> => spawnFixtureCluster(f, linked);

    it.each(['device', 'display'] as const)(
      'a display and a device on different nodes keep talking after the %s node is SIGKILLed',
      async (victim) => {
        const nodes = await spawnCluster(true);
        const display = await clientOf(nodes, 'ws');
        const device = await clientOf(nodes, 'http', portOf(display));
        const commands: string[] = [];
        const states: string[] = [];
        await device.subscribe('/demo/cmd', { datatype: 'text', onmsg: (d) => commands.push(d) });
        await display.subscribe('/demo/state', { datatype: 'text', onmsg: (d) => states.push(d) });

        // Talk until both directions arrive (interest must have crossed the links first).
        await waitFor(
          () => {
            display.publish('cmd-before', '/demo/cmd');
            device.publish('state-before', '/demo/state');
            return commands.includes('cmd-before') && states.includes('state-before');
          },
          { what: 'talk before the kill' },
        );

        const killed = victim === 'device' ? device : display;
        const killedPort = portOf(killed);
        nodes.find((n) => String(n.port) === killedPort)!.child.kill('SIGKILL');
        const t0 = Date.now();
        await waitFor(() => killed.connected && portOf(killed) !== killedPort, {
          what: `${victim} on a survivor`,
        });

        await waitFor(
          () => {
            display.publish('cmd-after', '/demo/cmd');
            device.publish('state-after', '/demo/state');
            return commands.includes('cmd-after') && states.includes('state-after');
          },
          { what: 'talk after the kill' },
        );
        const failoverMs = Date.now() - t0;
        console.log(`${victim} node killed: talking again after ${failoverMs} ms`);
        expect(portOf(display)).not.toBe(killedPort);
        expect(portOf(device)).not.toBe(killedPort);
      },
    );

    it('does not connect a display and a device on different nodes of the same processes unlinked (negative control)', async () => {
      const nodes = await spawnCluster(false);
      const display = await clientOf(nodes, 'ws');
      const device = await clientOf(nodes, 'http', portOf(display));
      const commands: string[] = [];
      await device.subscribe('/demo/cmd', { datatype: 'text', onmsg: (d) => commands.push(d) });
      const neighbour = await clientOf(
        nodes.filter((n) => String(n.port) === portOf(device)),
        'ws',
      );
      for (let i = 0; i < 20; i++) display.publish('cmd-remote', '/demo/cmd');
      // A publish on the device's own node arrives; the remote ones never do.
      await waitFor(() => {
        neighbour.publish('cmd-local', '/demo/cmd');
        return commands.includes('cmd-local');
      });
      expect(commands.filter((c) => c === 'cmd-remote')).toEqual([]);
    });
  },
);
