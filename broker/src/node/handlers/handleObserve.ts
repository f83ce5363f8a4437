import { decodeIdPacket } from '../../protocol/ids.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { observeTap } from '../tap.js';
import { decodedOrClose } from './decodedOrClose.js';

/**
 * Observe (14), spec rule 7: a topic gets Change(tid, count) at once and on every change; a live
 * ETID gets nothing until it goes; an unknown or gone id gets Change(id, 0) at once; own ETID: ignored.
 */
export function handleObserve(node: SmqNode, s: Session, p: Buffer): void {
  const id = decodedOrClose(node, s, decodeIdPacket(p))?.id;
  if (id === undefined || id === s.etid) return;
  const target = node.topics.has(id) ? 'topic' : node.isLiveEtid(id) ? 'etid' : 'unknown';
  if (node.tapping) node.emitTap(observeTap(node, s, id, 'observe', target));
  if (target === 'unknown') return node.observers.tell(s, id, target, 0);
  node.observers.add(id, s);
  if (target === 'topic') node.observers.tell(s, id, target, node.subscriberCount(id));
}
