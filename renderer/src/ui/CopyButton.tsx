import { useEffect, useState } from 'react';

type Outcome = 'copied' | 'failed' | null;

/**
 * Puts text on the clipboard: the async Clipboard API, else the older copy command on a hidden
 * text area (a page the browser does not let write the clipboard, an embedded view). Says "Copied"
 * (or that it could not, so the user selects the text by hand) for two seconds.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'sr-only';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}

export function CopyButton({ text, what, testId }: { text: string; what: string; testId?: string }) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  useEffect(() => {
    if (!outcome) return;
    const t = setTimeout(() => setOutcome(null), 2000);
    return () => clearTimeout(t);
  }, [outcome]);
  return (
    <span className="copy">
      <button
        type="button"
        className="btn btn-ghost copy-button"
        aria-label={`Copy ${what}`}
        data-testid={testId}
        data-copied={outcome === 'copied' || undefined}
        onClick={async () => setOutcome((await copyText(text)) ? 'copied' : 'failed')}
      >
        {outcome === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="sr-only" role="status">
        {outcome === 'copied' ? `${what} copied` : outcome === 'failed' ? `Could not copy ${what}` : ''}
      </span>
      {outcome === 'failed' && <span className="copy-failed small">select and copy it by hand</span>}
    </span>
  );
}
