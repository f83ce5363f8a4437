import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeAdmin } from '../../../../electron/host/control/NodeAdmin.js';

/** Answers every request as smq-node's admin endpoint does without a valid token. */
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ error: 'Unauthorized', message: 'admin token required (Authorization: Bearer …)' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('NodeAdmin on HTTP 401', () => {
  it('says a token that was sent was refused, in one sentence without the node’s "required"', async () => {
    const err = await new NodeAdmin(() => base, 'wrong-token-of-sixteen-chars')
      .clients()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'Unauthorized',
      message: `${base} refused the admin token: it is not the one the node was started with`,
    });
  });

  it('says a token is required only when none was sent', async () => {
    const err = await new NodeAdmin(() => base, '').clients().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'Unauthorized', message: `${base} requires an admin token` });
  });
});
