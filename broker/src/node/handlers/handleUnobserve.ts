import { decodeIdPacket } from '../../protocol/ids.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { observeTap } from '../tap.js';
import { decodedOrClose } from './decodedOrClose.js';

/** Unobserve (15): no reply. */
export function handleUnobserve(node: SmqNode, s: Session, p: Buffer): void {
  const o = decodedOrClose(node, s, decodeIdPacket(p));
  if (!o || !node.observers.remove(o.id, s) || !node.tapping) return;
  node.emitTap(observeTap(node, s, o.id, 'unobserve', node.topics.has(o.id) ? 'topic' : 'etid'));
}
