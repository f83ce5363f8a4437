import { MAX_PAYLOAD, PUBLISH_HEADER_SIZE } from '../../protocol/constants.js';
import { CloseReason } from '../CloseReason.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/** Publish (8): checked, then routed byte for byte. Also the end of a PubFrag reassembly. */
export function handlePublish(node: SmqNode, s: Session, p: Buffer): void {
  if (p.length < PUBLISH_HEADER_SIZE) {
    node.closeSession(
      s,
      CloseReason.ProtocolViolation,
      `Publish of ${p.length} bytes, shorter than its header`,
    );
    return;
  }
  // Spec rule 5: a publisher field that is not the sender's ETID is a corrupt frame.
  if (p.readUInt32BE(5) !== s.etid) {
    node.corruptFrame(s, `publisher ${p.readUInt32BE(5)} is not the sender's ETID ${s.etid}`);
    return;
  }
  // Only a WebSocket message can be this large; raw-TCP receivers could not get it re-framed.
  if (p.length - PUBLISH_HEADER_SIZE > MAX_PAYLOAD) {
    node.closeSession(s, CloseReason.FrameTooLarge, `payload of ${p.length - PUBLISH_HEADER_SIZE} bytes`);
    return;
  }
  node.route(s, p);
}
