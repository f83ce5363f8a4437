import { MAX_PAYLOAD, PacketType, PUBLISH_HEADER_SIZE } from '../../protocol/constants.js';
import { CloseReason } from '../CloseReason.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { handlePublish } from './handlePublish.js';

/**
 * PubFrag (19), raw TCP only: every fragment carries the full Publish header; destination 0 marks
 * an intermediate one, and the first non-zero destination is the last. The joined message is routed
 * as a type-8 Publish with the last fragment's header, under the same checks.
 */
export function handlePubFrag(node: SmqNode, s: Session, p: Buffer): void {
  if (s.transport.kind !== 'raw') {
    node.closeSession(s, CloseReason.PubFragOnWebSocket, 'PubFrag is raw-TCP only');
    return;
  }
  if (p.length < PUBLISH_HEADER_SIZE) {
    node.closeSession(
      s,
      CloseReason.ProtocolViolation,
      `PubFrag of ${p.length} bytes, shorter than its header`,
    );
    return;
  }
  const chunk = p.subarray(PUBLISH_HEADER_SIZE);
  if (s.fragmentBytes + chunk.length > MAX_PAYLOAD) {
    node.closeSession(s, CloseReason.FrameTooLarge, `fragments over ${MAX_PAYLOAD} bytes`);
    return;
  }
  s.fragments.push(Buffer.from(chunk));
  s.fragmentBytes += chunk.length;
  if (p.readUInt32BE(1) === 0) return;

  const joined = Buffer.allocUnsafe(PUBLISH_HEADER_SIZE + s.fragmentBytes);
  p.copy(joined, 0, 0, PUBLISH_HEADER_SIZE);
  joined[0] = PacketType.Publish;
  let o = PUBLISH_HEADER_SIZE;
  for (const f of s.fragments) o += f.copy(joined, o);
  s.fragments = [];
  s.fragmentBytes = 0;
  handlePublish(node, s, joined);
}
