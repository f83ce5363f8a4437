import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CertificateStatus, NodeView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { CopyButton } from '../ui/CopyButton.js';
import { describeError } from '../ui/errors.js';
import { IconClose } from '../ui/icons.js';
import { isLoopbackHost } from './AddressChooser.js';
import { CertificateHosts } from './CertificateHosts.js';
import { CertificateNodes } from './CertificateNodes.js';
import { daysLeftText, expiryTone, formatDay, LOCAL_CERTIFICATE_HOSTS } from './certificateText.js';
import { TlsBadge } from './ConnectDevicePanel.js';
import '../styles/connect.css';
import '../styles/tls.css';

type Problem = { code: string; message: string };

/** The cluster toolbar's button to the certificate of a local TLS cluster. */
export function CertificateButton({ nodes }: { nodes: readonly NodeView[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="certificate-open">
        Certificate
      </button>
      {open && <CertificatePanel nodes={nodes} onClose={() => setOpen(false)} />}
    </>
  );
}

/**
 * The local TLS nodes' certificate: the hosts it is valid for, its fingerprint and expiry, the CA
 * devices trust, and renewal (with hosts added or removed) through generateCertificate. Running
 * nodes serve a new certificate once restarted: CertificateNodes shows which and offers it.
 */
export function CertificatePanel({ nodes, onClose }: { nodes: readonly NodeView[]; onClose: () => void }) {
  const host = useHost();
  const dialog = useRef<HTMLDialogElement>(null);
  const [status, setStatus] = useState<CertificateStatus | null>(null);
  const [loadError, setLoadError] = useState<Problem | null>(null);
  const [draft, setDraft] = useState<string[] | null>(null);
  const [renewing, setRenewing] = useState(false);
  const [renewError, setRenewError] = useState<Problem | null>(null);
  const [renewedFingerprint, setRenewedFingerprint] = useState<string | null>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const refresh = useCallback(async (): Promise<void> => {
    try {
      setStatus(await host.call('certificateStatus', {}));
      setLoadError(null);
    } catch (e) {
      setLoadError(describeError(e));
    }
  }, [host]);
  // A node that (re)started may serve another certificate: read them again when one does.
  const nodesKey = nodes.map((n) => `${n.id}:${n.state}:${n.pid}`).join(' ');
  useEffect(() => void refresh(), [refresh, nodesKey]);

  // The host adds loopback and the nodes' bound addresses to every certificate itself.
  const fixed = useMemo(
    () =>
      new Set([...LOCAL_CERTIFICATE_HOSTS, ...nodes.map((n) => n.host).filter((h) => !isLoopbackHost(h))]),
    [nodes],
  );
  /** Undefined while loading, null while the host has none (Renew makes one). */
  const cert = status?.certificate;
  const hosts = draft ?? cert?.hosts ?? LOCAL_CERTIFICATE_HOSTS;
  const changed = draft !== null && draft.join() !== (cert?.hosts ?? LOCAL_CERTIFICATE_HOSTS).join();

  const renew = async (): Promise<void> => {
    if (renewing) return;
    setRenewing(true);
    setRenewError(null);
    try {
      const view = await host.call('generateCertificate', {
        hosts: hosts.filter((h) => !LOCAL_CERTIFICATE_HOSTS.includes(h)),
      });
      setStatus((s) => s && { ...s, certificate: view });
      setDraft(null);
      setRenewedFingerprint(view.fingerprint256);
      await refresh();
    } catch (e) {
      setRenewError(describeError(e));
    } finally {
      setRenewing(false);
    }
  };

  const now = Date.now();
  return (
    <dialog
      ref={dialog}
      className="connect-panel cert-panel"
      aria-labelledby="cert-title"
      data-testid="certificate-panel"
      onClose={onClose}
    >
      <header className="connect-head">
        <h3 id="cert-title">Certificate</h3>
        <TlsBadge />
        {cert && (
          <span className={`badge cert-expiry-${expiryTone(cert.notAfterMs, now)}`} data-testid="cert-badge">
            {daysLeftText(cert.notAfterMs, now)}
          </span>
        )}
        <span className="card-head-spacer" />
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          aria-label="Close"
          onClick={() => dialog.current?.close()}
        >
          <IconClose />
        </button>
      </header>
      <div className="connect-body">
        {loadError && (
          <p className="inline-alert" role="alert" data-testid="cert-load-error">
            <code>{loadError.code}</code>
            {loadError.message}
          </p>
        )}
        {!status && !loadError && <p className="muted">Reading the certificate…</p>}
        {cert === null && (
          <p className="muted" data-testid="cert-none">
            No certificate yet: TLS nodes get one when they start, or Create makes one now, signed by the
            host’s local CA (made too if there is none).
          </p>
        )}
        {status && (
          <Row label="Valid for">
            <CertificateHosts
              draft={hosts}
              current={cert?.hosts ?? LOCAL_CERTIFICATE_HOSTS}
              fixed={fixed}
              onChange={setDraft}
            />
          </Row>
        )}
        {cert && (
          <>
            <Row label="SHA-256 fingerprint">
              <Value text={cert.fingerprint256} what="certificate fingerprint" testId="cert-fingerprint" />
              {renewedFingerprint === cert.fingerprint256 && (
                <p className="cert-renewed small" role="status" data-testid="cert-renewed">
                  New certificate signed by the same CA.
                </p>
              )}
            </Row>
            <Row label="Expires">
              <Expiry notAfterMs={cert.notAfterMs} now={now} testId="cert-expiry" />
            </Row>
            <Row label="Certificate authority">
              <Value text={cert.caFile} what="CA file path" testId="cert-ca" />
              <p className="muted small">
                Devices and browsers trust this file (smq-devices --ca). It expires{' '}
                <Expiry notAfterMs={cert.caNotAfterMs} now={now} testId="cert-ca-expiry" />.
              </p>
            </Row>
          </>
        )}
        {status && (
          <>
            <div className="cert-renew">
              <button
                type="button"
                className="btn btn-primary"
                aria-busy={renewing || undefined}
                aria-disabled={renewing || undefined}
                onClick={() => void renew()}
                data-testid="cert-renew"
              >
                {cert === null ? 'Create certificate' : changed ? 'Renew with these hosts' : 'Renew'}
              </button>
              <span className="muted small">
                {cert === null
                  ? 'Signs a certificate for these hosts, valid for a year.'
                  : changed
                    ? 'The hosts above apply once renewed.'
                    : 'Signs a new certificate for a year with the same CA.'}
              </span>
            </div>
            {renewError && (
              <p className="inline-alert" role="alert" data-testid="cert-renew-error">
                <code>{renewError.code}</code>
                {renewError.message}
              </p>
            )}
            <Row label="Served by">
              <CertificateNodes nodes={status.nodes} onRestarted={refresh} />
            </Row>
          </>
        )}
      </div>
    </dialog>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section className="connect-row">
      <h4>{label}</h4>
      {children}
    </section>
  );
}

function Value({ text, what, testId }: { text: string; what: string; testId: string }) {
  return (
    <div className="connect-value">
      <code className="mono" data-testid={`${testId}-text`}>
        {text}
      </code>
      <CopyButton text={text} what={what} testId={`${testId}-copy`} />
    </div>
  );
}

/** "Jan 5, 2027 · 41 days left", in warning style under 30 days and danger style once expired. */
function Expiry({ notAfterMs, now, testId }: { notAfterMs: number; now: number; testId: string }) {
  return (
    <span className={`cert-expiry cert-expiry-${expiryTone(notAfterMs, now)}`} data-testid={testId}>
      {formatDay(notAfterMs)} · {daysLeftText(notAfterMs, now)}
    </span>
  );
}
