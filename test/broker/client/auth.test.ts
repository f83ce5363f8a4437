import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { seededHash, seededHashAuthenticator } from '../../../broker/src/index.js';
import type { CloseInfo } from '../../../broker/src/client/node.js';
import { CLIENT_TRANSPORTS, client, connected, holds, inbox, track, urlFor } from './clients.js';

const PASSWORD = 'qwerty';

/** The browser way: WebCrypto SHA-1 is async, so credentials may be a Promise. */
async function webCryptoSeededHash(password: string, seed: number): Promise<Uint8Array> {
  const input = new Uint8Array([...new TextEncoder().encode(password), 0, 0, 0, 0]);
  new DataView(input.buffer).setUint32(input.length - 4, seed, true);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', input));
}

describe.each(CLIENT_TRANSPORTS)('over %s', (t) => {
  it('connects with a SHA-1 of the password and the Init seed, computed per connection', async () => {
    const n = track(await startNode({ hooks: { authenticate: seededHashAuthenticator(PASSWORD) } }));
    const seeds: number[] = [];
    const a = await connected(urlFor(n.port, t), {
      credentials: (seed) => (seeds.push(seed), seededHash(PASSWORD, seed)),
    });
    const b = await connected(urlFor(n.port, t), {
      credentials: (seed) => webCryptoSeededHash(PASSWORD, seed),
    });
    expect(a.connected && b.connected).toBe(true);
    // Same digest both ways, and the node's seed is what the client hashed.
    const s = seeds[0]!;
    const le = Buffer.alloc(4);
    le.writeUInt32LE(s);
    expect(Buffer.from(await webCryptoSeededHash(PASSWORD, s))).toEqual(
      createHash('sha1').update(PASSWORD).update(le).digest(),
    );
  });

  it('reports a refusal with its Connack code and reason, and does not try again', async () => {
    const n = track(await startNode({ hooks: { authenticate: seededHashAuthenticator(PASSWORD) } }));
    const c = client(urlFor(n.port, t), { credentials: (seed) => seededHash('wrong', seed) });
    const closes = inbox<[string, boolean, CloseInfo]>();
    let attempts = 0;
    c.onclose = (reason, reconnecting, info) => closes.push([reason, reconnecting, info]);
    c.onconnecterror = () => attempts++;
    await waitFor(() => closes.got.length === 1, { what: 'onclose' });
    expect(closes.got[0]).toEqual([
      'bad credentials',
      false,
      { reason: 'bad credentials', cause: 'refused', code: 3, reconnecting: false, url: urlFor(n.port, t) },
    ]);
    await holds(() => n.node.stats().sessionsOpened === 1 && attempts === 0, 300, 'a single attempt');
    expect(c.connected).toBe(false);
  });

  it('does try again when the node closes without a Connack (negative control for the above)', async () => {
    let calls = 0;
    // An authenticate hook that throws makes the node drop the socket: no refusal code reaches us.
    const n = track(
      await startNode({
        hooks: {
          authenticate: () => {
            calls++;
            return new Promise<boolean>((_, reject) => reject(new Error('auth backend down')));
          },
        },
      }),
    );
    const c = client(urlFor(n.port, t));
    const failures = inbox<boolean>();
    c.onconnecterror = (_url, _reason, retrying) => failures.push(retrying);
    await waitFor(() => failures.got.length >= 3 || calls >= 3, { what: 'retries' });
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
