import { readFileSync } from 'node:fs';

/** A node's certificate (with any intermediates after it) and private key, as PEM text. */
export interface NodeTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
}

/** Reads PEM files; the error names the file and the flag it came from. */
export function readPem(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read ${flag} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The codes Node gives a TLS connection whose peer certificate failed verification: OpenSSL's
 * X509_V_ERR_* names (node's crypto_common.cc) and Node's own host-name check. Anything else
 * (refused, reset, wrong protocol) is a transport failure, not a certificate one.
 */
const CERT_ERROR_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The verification code when `err` is a refused peer certificate, else undefined. */
export function certificateErrorCode(err: Error): string | undefined {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' && CERT_ERROR_CODES.has(code) ? code : undefined;
}

/** A connection error as a client shows it: a refused certificate says so and gives its code. */
export function connectionErrorText(err: Error): string {
  const code = certificateErrorCode(err);
  return code ? `TLS certificate refused: ${code} (${err.message})` : err.message;
}
