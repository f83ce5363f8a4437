import https from 'node:https';
import { generateSelfSigned, type PemPair } from '../../../electron/host/control/SelfSignedCert.js';

export type { PemPair };

/** A fresh self-signed pair for 127.0.0.1 and localhost, made the way the app makes one. */
export function loopbackPair(): Promise<PemPair> {
  return generateSelfSigned(['127.0.0.1', 'localhost']);
}

/** GET over https, verifying the node's certificate against `ca`; the body as text. */
export function getText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** GET over https as getText, the body parsed as JSON. */
export async function getJson<T>(url: string, ca: string): Promise<T> {
  return JSON.parse(await getText(url, ca)) as T;
}
