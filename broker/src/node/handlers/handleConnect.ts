import { ConnackCode } from '../../protocol/constants.js';
import { decodeConnect } from '../../protocol/connect.js';
import { SmqProtocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { AuthResult } from '../options.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

export function handleConnect(node: SmqNode, s: Session, p: Buffer): void {
  if (s.state !== 'handshake') {
    node.closeSession(s, CloseReason.ProtocolViolation, 'Connect after the handshake');
    return;
  }
  // The handshake deadline keeps running until accept or refuse (an async hook may never answer).
  const c = decodeConnect(p);
  if (c instanceof SmqProtocolError) {
    // Spec rule 10: a Connack refusal where the request can still be parsed; a bad version can.
    if (c.code === 'SMQ_ERR_BAD_VERSION')
      node.refuse(s, ConnackCode.BadVersion, 'version', CloseReason.BadVersion);
    else node.closeSession(s, CloseReason.ProtocolViolation, c.message);
    return;
  }
  // Spec, Connect: uid of at least 6 bytes, else refuse with 1.
  if (c.uid.length < 6) {
    node.refuse(s, ConnackCode.BadVersion, 'uid', CloseReason.BadVersion);
    return;
  }
  // Copies: views would pin the socket's receive chunk for the session's lifetime.
  s.uid = Buffer.from(c.uid);
  s.info = Buffer.from(c.info);
  const authenticate = node.hooks.authenticate;
  if (!authenticate) {
    node.accept(s);
    return;
  }
  s.state = 'authenticating';
  let result: AuthResult | Promise<AuthResult>;
  try {
    result = authenticate({
      uid: s.uid,
      credentials: Buffer.from(c.credentials),
      info: s.info,
      seed: s.seed,
      ip: s.ip,
    });
  } catch (err) {
    authFailed(node, s, err);
    return;
  }
  if (result instanceof Promise) {
    result.then(
      (r) => finishAuth(node, s, r),
      (err: unknown) => authFailed(node, s, err),
    );
  } else finishAuth(node, s, result);
}

function finishAuth(node: SmqNode, s: Session, r: unknown): void {
  if (s.state !== 'authenticating') return;
  const { code, reason } = verdict(r);
  if (code === ConnackCode.Accepted) node.accept(s);
  else node.refuse(s, code, reason, CloseReason.AuthRefused);
}

/**
 * `true` accepts and `{ code, reason? }` answers with that code; anything else (false, or undefined
 * from a JS caller that forgot to return) refuses with AccessDenied, the default of the spec.
 */
function verdict(r: unknown): { code: ConnackCode; reason: string } {
  if (r === true) return { code: ConnackCode.Accepted, reason: '' };
  if (typeof r === 'object' && r !== null && 'code' in r && isConnackCode(r.code)) {
    const reason = 'reason' in r && typeof r.reason === 'string' ? r.reason : 'denied';
    return { code: r.code, reason };
  }
  return { code: ConnackCode.AccessDenied, reason: 'access denied' };
}

const CONNACK_CODES: ReadonlySet<unknown> = new Set(Object.values(ConnackCode));

function isConnackCode(c: unknown): c is ConnackCode {
  return CONNACK_CODES.has(c);
}

/** A failing hook is our fault, not the device's: close without a Connack so it tries again. */
function authFailed(node: SmqNode, s: Session, err: unknown): void {
  if (s.state === 'closed') return;
  node.closeSession(s, CloseReason.AuthRefused, `authenticate hook failed: ${String(err)}`);
}
