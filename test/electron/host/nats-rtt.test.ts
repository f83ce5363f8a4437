import { afterAll, describe, expect, it } from 'vitest';
import { NatsConnector, roundTripMs } from '../../../broker/src/cluster/nats/NatsConnector.js';
import { Child } from '../../helpers/ChildProcess.js';
import { startNatsServer } from '../../helpers/natsServer.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * A node's RTT to NATS, as /health and the app show it: fractional ms (a loopback round trip is
 * well under 1 ms), not nats.js's whole-ms rtt().
 */

afterAll(() => Child.killAll());

describe('roundTripMs', () => {
  it('times the flush with the clock it is given, to the fraction of a ms', async () => {
    const ticks = [1000.25, 1000.43];
    let flushed = false;
    const ms = await roundTripMs(
      async () => {
        flushed = true;
      },
      () => ticks.shift()!,
    );
    expect(flushed).toBe(true);
    expect(ms).toBeCloseTo(0.18, 6);
  });
});

describe('NatsConnector RTT (real nats-server)', () => {
  it('reports a fractional round trip in ms', async () => {
    const server = await startNatsServer();
    const connector = new NatsConnector(
      { servers: [server.url] },
      'rtt-test',
      () => {},
      () => {},
    );
    try {
      await connector.start();
      connector.measureRtt();
      const rtt = await waitFor(() => connector.info().rttMs, { timeout: 10_000, what: 'an RTT' });
      expect(rtt).toBeGreaterThan(0);
      expect(Number.isInteger(rtt)).toBe(false);
    } finally {
      connector.close();
      await server.stop();
    }
  }, 30_000);
});
