import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unpacked } from '../../app-paths.js';

/**
 * The smq-node entry the host spawns: the bundled copy next to the app's build (packaged app),
 * else the broker workspace's bin (a checkout, from source or from dist/).
 */
export function defaultNodeBin(): string {
  const candidates = [
    '../broker/smq-node.mjs',
    '../../broker/bin/smq-node.js',
    '../../../broker/bin/smq-node.js',
  ].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`smq-node not found (looked at ${candidates.join(', ')})`);
  // Spawned by path: inside a packaged app it must be the copy outside app.asar.
  return unpacked(found);
}
