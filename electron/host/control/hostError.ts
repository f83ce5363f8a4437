import type { HostError, HostErrorCode } from '../../../contract/hostContract.js';

const CODES = new Set<HostErrorCode>([
  'PortInUse',
  'BadSecret',
  'NoCluster',
  'ClusterExists',
  'NoSuchNode',
  'NoSuchLink',
  'NoSuchFleet',
  'NoSuchClient',
  'NodeNotUp',
  'NodeCrashed',
  'BadArguments',
  'Unauthorized',
  'Internal',
]);

/** An Error that carries a contract error code, so the transport replies with it as it is. */
export type HostFailure = Error & HostError;

/** Wraps a HostError, or turns anything thrown into one (code Internal unless it carries a known code). */
export function hostError(e: unknown): HostFailure {
  const code = (e as { code?: unknown } | undefined)?.code;
  const message = (e as { message?: unknown } | undefined)?.message;
  const error: HostError = {
    code: typeof code === 'string' && CODES.has(code as HostErrorCode) ? (code as HostErrorCode) : 'Internal',
    message: typeof message === 'string' ? message : String(e),
  };
  return Object.assign(new Error(error.message), error);
}
