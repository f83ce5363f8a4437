import { SmqProtocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/**
 * A decoder's result, or undefined after closing the session as a ProtocolViolation (spec rule 10:
 * short packets and trailing bytes close the connection, without Disconnect).
 */
export function decodedOrClose<T>(node: SmqNode, s: Session, decoded: T | SmqProtocolError): T | undefined {
  if (!(decoded instanceof SmqProtocolError)) return decoded;
  node.closeSession(s, CloseReason.ProtocolViolation, decoded.message);
  return undefined;
}
