import { isIP } from 'node:net';
import { connect } from 'node:tls';

/**
 * The SHA-256 fingerprint of the certificate a TLS node serves now, or null when it does not
 * complete a handshake within `timeoutMs`. Nodes read their certificate when they start, so this
 * tells which ones still serve one from before a renewal.
 */
export function servedFingerprint(host: string, port: number, timeoutMs = 3000): Promise<string | null> {
  return new Promise((resolve) => {
    // Only reads the certificate and sends nothing over the connection: whether to trust it is the
    // business of the clients that use the node, so an unverifiable one is still reported.
    const socket = connect({
      host,
      port,
      rejectUnauthorized: false,
      ...(isIP(host) === 0 ? { servername: host } : {}),
    });
    const done = (fingerprint: string | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(fingerprint);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.once('secureConnect', () => done(socket.getPeerX509Certificate()?.fingerprint256 ?? null));
    socket.once('error', () => done(null));
  });
}
