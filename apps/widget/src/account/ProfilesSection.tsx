/**
 * The account page's household: the profiles a sign-in of this account asks
 * to choose from, and "Add a profile" (as the operators' CLI does). Demo mode
 * keeps none and says so when one is added.
 */
import { type FormEvent, useId, useState } from 'react';

export interface ProfilesSectionProps {
  /** Undefined while they load. */
  profiles: string[] | undefined;
  /** The action under way (`profile` while adding). */
  busy: string | null;
  /** Resolves true once added (the form then closes). */
  onAdd: (name: string) => Promise<boolean>;
}

const MAX_NAME = 100;

export function ProfilesSection({ profiles, busy, onAdd }: ProfilesSectionProps) {
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const error = touched && name.trim() === '' ? 'Enter a name for the profile' : undefined;

  const add = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (busy || name.trim() === '') return;
    void onAdd(name).then((done) => {
      if (!done) return;
      setAdding(false);
      setName('');
      setTouched(false);
    });
  };

  return (
    <>
      <h2>Household</h2>
      <p className="muted">
        {profiles && profiles.length > 1
          ? 'Each sign-in of your account asks who is signing in:'
          : 'Add a profile for each person who shares your account; each sign-in then asks who is signing in.'}
      </p>
      {profiles && profiles.length > 0 ? (
        <ul className="apps" aria-label="Household profiles">
          {profiles.map((profile) => (
            <li key={profile} className="app">
              <strong>{profile}</strong>
            </li>
          ))}
        </ul>
      ) : null}
      {adding ? (
        <form className="confirm" onSubmit={add} noValidate aria-busy={busy === 'profile'} aria-label="Add a profile">
          <label htmlFor={`${id}-name`}>Profile name</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={MAX_NAME}
            autoComplete="off"
            onChange={(event) => setName(event.target.value)}
            onBlur={() => setTouched(true)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            disabled={busy !== null}
            autoFocus
          />
          {error ? (
            <p id={`${id}-error`} className="field-error">
              {error}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'profile' ? <span className="spinner" aria-hidden="true" /> : null}
            {busy === 'profile' ? 'Adding…' : 'Add profile'}
          </button>
          <button type="button" className="link" disabled={busy !== null} onClick={() => setAdding(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="secondary" disabled={busy !== null || profiles === undefined} onClick={() => setAdding(true)}>
          Add a profile…
        </button>
      )}
    </>
  );
}
