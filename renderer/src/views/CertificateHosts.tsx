import { useState, type FormEvent } from 'react';
import { IconClose } from '../ui/icons.js';
import { hostInputProblem } from './certificateText.js';

/**
 * The hosts the next certificate will be valid for: the current ones, less those removed, plus
 * those added. `fixed` ones (loopback, addresses nodes are bound to) the host adds by itself, so
 * they cannot be removed here.
 */
export function CertificateHosts({
  draft,
  current,
  fixed,
  onChange,
}: {
  draft: readonly string[];
  current: readonly string[];
  fixed: ReadonlySet<string>;
  onChange: (hosts: string[]) => void;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = (e: FormEvent): void => {
    e.preventDefault();
    const host = text.trim().toLowerCase();
    const why = hostInputProblem(host, draft);
    setProblem(why);
    if (why) return;
    onChange([...draft, host]);
    setText('');
  };
  return (
    <>
      <ul className="cert-hosts" aria-label="Host names and addresses" data-testid="cert-hosts">
        {draft.map((h) => (
          <li key={h} className={`cert-host${current.includes(h) ? '' : ' cert-host-added'}`}>
            <span className="mono">{h}</span>
            {!current.includes(h) && <span className="cert-host-tag">new</span>}
            {!fixed.has(h) && (
              <button
                type="button"
                className="btn btn-ghost btn-icon cert-host-remove"
                aria-label={`Remove ${h}`}
                onClick={() => onChange(draft.filter((x) => x !== h))}
              >
                <IconClose />
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="cert-add" onSubmit={add}>
        <input
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setProblem(null);
          }}
          placeholder="smq.example.lan or 192.168.1.20"
          aria-label="Host name or IP address to add"
          aria-invalid={problem !== null || undefined}
          aria-describedby={problem ? 'cert-host-problem' : undefined}
          data-testid="cert-host-input"
          spellCheck={false}
          autoCapitalize="off"
        />
        <button type="submit" className="btn" data-testid="cert-host-add">
          Add
        </button>
      </form>
      {problem && (
        <p className="cert-problem small" id="cert-host-problem" role="alert" data-testid="cert-host-problem">
          {problem}
        </p>
      )}
    </>
  );
}
