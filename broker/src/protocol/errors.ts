/**
 * The SMQ error family: a class per layer, a stable `code`, and the close reason it maps to.
 * Codes are documented in broker/README.md. Hot paths return these instead of throwing.
 */
export type SmqErrorCode =
  | 'SMQ_ERR_EMPTY_PACKET'
  | 'SMQ_ERR_INVALID_TYPE'
  | 'SMQ_ERR_SHORT_PACKET'
  | 'SMQ_ERR_TRAILING_BYTES'
  | 'SMQ_ERR_BAD_FRAME_LENGTH'
  | 'SMQ_ERR_BAD_VERSION';

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

/** The one factory for protocol errors, so every code is created the same way. */
export function protocolError(code: SmqErrorCode, message: string): SmqProtocolError {
  return new SmqProtocolError(code, message);
}
