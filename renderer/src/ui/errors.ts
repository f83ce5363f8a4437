import { HostCallError } from '../../../contract/hostContract.js';
import { HostConnectionError } from '../host/HostClient.js';

/** A code and a message for any failure, as the UI shows it. */
export function describeError(e: unknown): { code: string; message: string } {
  if (e instanceof HostCallError) return { code: e.error.code, message: e.error.message };
  if (e instanceof HostConnectionError) return { code: e.code, message: e.message.replace(/^\w+: /, '') };
  if (e instanceof Error) return { code: e.name, message: e.message };
  return { code: 'Error', message: String(e) };
}
