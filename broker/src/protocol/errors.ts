/**
 * The SMQ error family: a class per layer and a stable `code`, documented in broker/README.md.
 * Which CloseReason a connection gets is decided where the node handles the error, not here.
 * Hot paths return protocol errors instead of throwing.
 */
export type SmqErrorCode =
  | 'SMQ_ERR_EMPTY_PACKET'
  | 'SMQ_ERR_INVALID_TYPE'
  | 'SMQ_ERR_SHORT_PACKET'
  | 'SMQ_ERR_TRAILING_BYTES'
  | 'SMQ_ERR_BAD_FRAME_LENGTH'
  | 'SMQ_ERR_BAD_VERSION';

/** Mistakes of a caller of the node's API (options, server client), thrown, never from the wire. */
export type SmqApiErrorCode =
  | 'SMQ_ERR_TID_RANGE'
  | 'SMQ_ERR_TID_TAKEN'
  | 'SMQ_ERR_NAME_TAKEN'
  | 'SMQ_ERR_IDS_EXHAUSTED'
  | 'SMQ_ERR_PAYLOAD_TOO_LARGE';

export class SmqError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class SmqProtocolError extends SmqError {
  declare readonly code: SmqErrorCode;
}

export class SmqApiError extends SmqError {
  declare readonly code: SmqApiErrorCode;
}

/** The one factory for protocol errors, so every code is created the same way. */
export function protocolError(code: SmqErrorCode, message: string): SmqProtocolError {
  return new SmqProtocolError(code, message);
}

/** The one factory for API errors. */
export function apiError(code: SmqApiErrorCode, message: string): SmqApiError {
  return new SmqApiError(code, message);
}
