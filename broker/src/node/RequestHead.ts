/** The parsed header block of an HTTP request, enough to sort a connection. */
export interface RequestHead {
  method: string;
  path: string;
  /** Header names lower-cased; a repeated header keeps its first value. */
  headers: Map<string, string>;
}

const END = Buffer.from('\r\n\r\n');

/** Index just past the blank line ending the header block, or -1 if it has not arrived. */
export function headEnd(buf: Buffer): number {
  const i = buf.indexOf(END);
  return i < 0 ? -1 : i + END.length;
}

/** Parses a request line and header lines (latin1, as HTTP/1 headers are bytes). Pure. */
export function parseRequestHead(block: Buffer): RequestHead | undefined {
  const lines = block.toString('latin1').split('\r\n');
  const [method, path] = (lines[0] ?? '').split(' ');
  if (!method || !path) return undefined;
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { method, path, headers };
}

/** Spec, Transports 2: a `SimpleMQ` header (any value, any method) makes an SMQ socket. */
export function isRawSmq(head: RequestHead): boolean {
  return head.headers.has('simplemq');
}

/** Only with `SendSmqHttpResponse: true` does the broker answer with HTTP before Init. */
export function wantsHttpResponse(head: RequestHead): boolean {
  return head.headers.get('sendsmqhttpresponse')?.toLowerCase() === 'true';
}

/** Status block for Python, Java and Lua clients; Java refuses one without `SmqBroker: true`. */
export const SMQ_HTTP_RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nSmqBroker: true\r\n\r\n', 'latin1');
