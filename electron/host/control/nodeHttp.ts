import http from 'node:http';
import https from 'node:https';

export interface NodeRequest {
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** PEM CA an https:// node's certificate is verified against (default: the system roots). */
  ca?: string;
}

/**
 * One request to a node, its body as text. Unlike fetch it takes a CA, for the host's own TLS
 * nodes. Failures reject as fetch's do: "fetch failed" with the socket's error (its code) as
 * `cause`, and a TimeoutError when no answer came in time.
 */
export function nodeRequest(url: string, o: NodeRequest): Promise<{ status: number; text: string }> {
  const secure = url.startsWith('https:');
  const options = { method: o.method, headers: o.headers, ...(secure && o.ca ? { ca: o.ca } : {}) };
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', (err) => reject(new Error('fetch failed', { cause: err })));
    });
    req.setTimeout(o.timeoutMs, () =>
      req.destroy(Object.assign(new Error(`no answer in ${o.timeoutMs} ms`), { name: 'TimeoutError' })),
    );
    req.on('error', (err) =>
      reject(err.name === 'TimeoutError' ? err : new Error('fetch failed', { cause: err })),
    );
    req.end();
  });
}
