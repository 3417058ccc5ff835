/**
 * The account page's passkeys: each with when it was added and last used,
 * renamed in place, removed after a second word; and "Add a passkey", named
 * first, which asks the browser to create one.
 */
import { type FormEvent, useId, useState } from 'react';
import type { PasskeyView } from '@target-auth/shared/account';

export interface PasskeysSectionProps {
  passkeys: PasskeyView[] | undefined;
  /** The action under way (`passkey` while adding, `passkey:{id}` for one). */
  busy: string | null;
  /** Whether this browser can create passkeys. */
  canAdd: boolean;
  when: (at: number) => string;
  /** Resolve true once done (the form then closes). */
  onAdd: (name: string) => Promise<boolean>;
  onRename: (passkey: PasskeyView, name: string) => Promise<boolean>;
  onRemove: (passkey: PasskeyView) => void;
}

export function PasskeysSection({ passkeys, busy, canAdd, when, onAdd, onRename, onRemove }: PasskeysSectionProps) {
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    void onAdd(name).then((done) => {
      if (!done) return;
      setAdding(false);
      setName('');
    });
  };

  const rename = (event: FormEvent, passkey: PasskeyView) => {
    event.preventDefault();
    if (busy || !renaming) return;
    void onRename(passkey, renaming.name).then((done) => done && setRenaming(null));
  };

  return (
    <>
      <h3>Passkeys</h3>
      <p className="muted">A passkey signs you in with your fingerprint, face or screen lock: no password, no code.</p>
      {passkeys && passkeys.length > 0 ? (
        <ul className="apps">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="app">
              {renaming?.id === passkey.id ? (
                <form className="confirm" onSubmit={(event) => rename(event, passkey)} aria-label={`Rename ${passkey.name}`}>
                  <label htmlFor={`${id}-rename`}>Name</label>
                  <input id={`${id}-rename`} value={renaming.name} maxLength={40} onChange={(event) => setRenaming({ id: passkey.id, name: event.target.value })} disabled={busy !== null} autoFocus />
                  <button type="submit" className="primary" disabled={busy !== null}>
                    Save
                  </button>
                  <button type="button" className="link" disabled={busy !== null} onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <p className="app-name">
                  <strong>{passkey.name}</strong>
                  {passkey.synced ? ' · synced across your devices' : ' · on one device'}
                </p>
              )}
              <p className="hint">
                Added {when(passkey.createdAt)} · {passkey.lastUsedAt === null ? 'not used yet' : `last used ${when(passkey.lastUsedAt)}`}
              </p>
              {removing === passkey.id ? (
                <div className="confirm" role="group" aria-label={`Remove ${passkey.name}?`}>
                  <p>This passkey will no longer sign you in. Remove it from your device too.</p>
                  <button type="button" className="danger" disabled={busy !== null} onClick={() => onRemove(passkey)} autoFocus>
                    {busy === `passkey:${passkey.id}` ? 'Removing…' : 'Remove passkey'}
                  </button>
                  <button type="button" className="link" disabled={busy !== null} onClick={() => setRemoving(null)}>
                    Cancel
                  </button>
                </div>
              ) : renaming?.id === passkey.id ? null : (
                <div className="row-actions">
                  <button type="button" className="secondary" disabled={busy !== null} onClick={() => setRenaming({ id: passkey.id, name: passkey.name })}>
                    Rename<span className="visually-hidden"> {passkey.name}</span>
                  </button>
                  <button type="button" className="secondary" disabled={busy !== null} onClick={() => setRemoving(passkey.id)}>
                    Remove<span className="visually-hidden"> {passkey.name}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : passkeys ? (
        <p className="muted">No passkeys yet.</p>
      ) : null}
      {!canAdd ? (
        <p className="hint">This browser cannot make passkeys.</p>
      ) : adding ? (
        <form className="confirm" onSubmit={add} aria-label="Add a passkey" aria-busy={busy === 'passkey'}>
          <label htmlFor={`${id}-name`}>Name it (so you know which one it is)</label>
          <input id={`${id}-name`} value={name} maxLength={40} placeholder="Laptop" onChange={(event) => setName(event.target.value)} disabled={busy !== null} />
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'passkey' ? <span className="spinner" aria-hidden="true" /> : null}
            {busy === 'passkey' ? 'Creating…' : 'Create passkey'}
          </button>
          <button type="button" className="link" disabled={busy !== null} onClick={() => setAdding(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="secondary" disabled={busy !== null} onClick={() => setAdding(true)}>
          Add a passkey…
        </button>
      )}
    </>
  );
}
