import { toHostError, type HostError } from '../../../contract/hostContract.js';

/** An Error that carries a contract error code, so the transport replies with it as it is. */
export type HostFailure = Error & HostError;

/** Wraps a HostError, or turns anything thrown into one (code Internal unless it carries a known code). */
export function hostError(e: unknown): HostFailure {
  const error = toHostError(e);
  return Object.assign(new Error(error.message), error);
}
