import { useState } from 'react';
import { nextProfileName, savedAs } from '../../../contract/hostContract.js';

/** The name a new cluster's profile is saved under, as the create and attach forms ask for it. */
export interface ProfileName {
  name: string;
  setName(name: string): void;
  /** What the host names it when left empty: `base`, or the first free `base-2` … */
  placeholder: string;
  /** The saved profile a confirming submit overwrites; undefined until the user was asked. */
  replacing: string | undefined;
  /**
   * On submit: the command's `profile`/`replace` args, or undefined when the name is saved already
   * and the user is asked first (a second submit with the same name replaces it).
   */
  submit(): { profile?: string; replace?: boolean } | undefined;
}

/** `taken`: the saved profiles' names; a name saved in the same file as one of them is that one. */
export function useProfileName(taken: readonly string[], base: string): ProfileName {
  const [name, setName] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const profile = name.trim();
  const saved = profile === '' ? undefined : savedAs(profile, taken);
  const asking = saved !== undefined && asked === profile;
  return {
    name,
    setName,
    placeholder: nextProfileName(base, taken),
    replacing: asking ? saved : undefined,
    submit() {
      if (saved !== undefined && !asking) {
        setAsked(profile);
        return undefined;
      }
      setAsked(null);
      return profile === '' ? {} : { profile, replace: saved !== undefined };
    },
  };
}

export function ProfileNameField({ label, field }: { label: string; field: ProfileName }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        value={field.name}
        onChange={(e) => field.setName(e.target.value)}
        placeholder={field.placeholder}
        maxLength={64}
        spellCheck={false}
      />
    </label>
  );
}

/** Shown while a submit waits for the user to confirm replacing a saved profile. */
export function ReplaceAlert({ field }: { field: ProfileName }) {
  if (field.replacing === undefined) return null;
  return (
    <p className="inline-alert" role="alert">
      A profile named <code>{field.replacing}</code> is saved already: Replace overwrites it, or choose
      another name.
    </p>
  );
}
