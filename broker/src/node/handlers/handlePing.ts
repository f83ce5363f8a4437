import { decodeKeepalive, PONG } from '../../protocol/control.js';
import { SmqProtocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/** Ping (12): answered with an empty Pong. */
export function handlePing(node: SmqNode, s: Session, p: Buffer): void {
  if (checkEmpty(node, s, p)) s.send(PONG);
}

/** Pong (13): never answered (spec rule 8). */
export function handlePong(node: SmqNode, s: Session, p: Buffer): void {
  checkEmpty(node, s, p);
}

function checkEmpty(node: SmqNode, s: Session, p: Buffer): boolean {
  const k = decodeKeepalive(p);
  if (!(k instanceof SmqProtocolError)) return true;
  node.closeSession(s, CloseReason.ProtocolViolation, k.message);
  return false;
}
