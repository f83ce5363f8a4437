import type { CommandArgs } from '../../../contract/hostContract.js';
import { hostError } from './hostError.js';
import type { LocalProfile } from './ProfileStore.js';

type TransportArgs = Pick<CommandArgs<'createCluster'>, 'transport' | 'natsUrl' | 'natsToken'>;
type TransportProfile = Pick<LocalProfile, 'transport' | 'natsUrl' | 'natsToken'>;

const bad = (message: string): Error => hostError({ code: 'BadArguments', message });

/**
 * createCluster's transport arguments as profile fields, checked: `natsUrl` is one or more
 * comma-separated nats:// or tls:// URLs; without one the host must be able to run nats-server
 * (`find` returns its path), else NatsUnavailable.
 */
export function natsProfile(
  { transport = 'mesh', natsUrl, natsToken }: TransportArgs,
  find: () => string | undefined,
): TransportProfile {
  if (transport !== 'mesh' && transport !== 'nats') throw bad("transport must be 'mesh' or 'nats'");
  if (transport === 'mesh') {
    if (natsUrl !== undefined || natsToken !== undefined)
      throw bad('natsUrl and natsToken go with transport nats');
    return {};
  }
  if (natsToken !== undefined && (typeof natsToken !== 'string' || natsToken === '' || natsUrl === undefined))
    throw bad('natsToken is a non-empty string that goes with natsUrl');
  if (natsUrl === undefined) {
    if (!find()) throw hostError({ code: 'NatsUnavailable', message: 'nats-server is not installed' });
    return { transport };
  }
  if (typeof natsUrl !== 'string') throw bad('natsUrl must be nats://host:port');
  const urls = natsUrl
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (urls.length === 0 || !urls.every(isNatsUrl))
    throw bad(`natsUrl must be nats://host:port (or tls://), comma-separated: ${natsUrl}`);
  return { transport, natsUrl: urls.join(','), ...(natsToken ? { natsToken } : {}) };
}

function isNatsUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'nats:' || u.protocol === 'tls:') && u.hostname !== '';
  } catch {
    return false;
  }
}
