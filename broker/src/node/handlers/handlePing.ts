import { decodeKeepalive, PONG } from '../../protocol/control.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { decodedOrClose } from './decodedOrClose.js';

/** Ping (12): answered with an empty Pong. */
export function handlePing(node: SmqNode, s: Session, p: Buffer): void {
  if (decodedOrClose(node, s, decodeKeepalive(p))) s.send(PONG);
}

/** Pong (13): never answered (spec rule 8). */
export function handlePong(node: SmqNode, s: Session, p: Buffer): void {
  decodedOrClose(node, s, decodeKeepalive(p));
}
