import { CopyButton } from '../ui/CopyButton.js';

/** The node's own https:// page for a wss:// URL: where a browser can be shown its certificate. */
export function nodePageUrl(wsUrl: string): string {
  const u = new URL(wsUrl);
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}/`;
}

/**
 * Why a panel on a TLS cluster may never connect: a browser closes a wss:// socket to a certificate
 * it does not trust with a bare 1006, so the page cannot tell this from a node that is down, and
 * says "may". Shown only on a TLS cluster, after a failed connect to a node the host says is up.
 */
export function TlsTrustHint({ wsUrl, caFile }: { wsUrl: string; caFile: string | null }) {
  const page = nodePageUrl(wsUrl);
  return (
    <div className="tls-trust-hint small" role="note" data-testid="panel-tls-hint">
      <p>
        <strong>This browser may not trust the node’s certificate.</strong> The cluster uses TLS, and a
        browser refuses a wss:// connection to a certificate signed by a CA it does not know, without saying
        why.
      </p>
      {caFile ? (
        <p className="tls-trust-ca">
          <span>The cluster’s CA file:</span>
          <code className="mono" data-testid="panel-tls-ca">
            {caFile}
          </code>
          <CopyButton text={caFile} what="CA file path" testId="panel-tls-ca-copy" />
        </p>
      ) : (
        <p>Trust the CA that signed the nodes’ certificates.</p>
      )}
      <p>
        Import it into this browser’s trusted authorities, or open{' '}
        <a href={page} target="_blank" rel="noreferrer">
          {page}
        </a>{' '}
        once and accept its certificate. The panel keeps retrying.
      </p>
    </div>
  );
}
