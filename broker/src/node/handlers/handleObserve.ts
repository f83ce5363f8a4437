import { decodeIdPacket } from '../../protocol/ids.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { decodedOrClose } from './decodedOrClose.js';

/**
 * Observe (14), spec rule 7: a topic gets Change(tid, count) at once and on every change; a live
 * ETID gets nothing until it goes; an unknown or gone id gets Change(id, 0) at once; own ETID: ignored.
 */
export function handleObserve(node: SmqNode, s: Session, p: Buffer): void {
  const id = decodedOrClose(node, s, decodeIdPacket(p))?.id;
  if (id === undefined || id === s.etid) return;
  if (node.topics.has(id)) {
    node.observers.add(id, s);
    s.sendChange(id, node.subscriberCount(id));
  } else if (node.isLiveEtid(id)) {
    node.observers.add(id, s);
  } else {
    s.sendChange(id, 0);
  }
}
