import type { InteractionDetails } from '@target-auth/shared/linking';
import { FormError } from '../components/FormParts';

type Consent = Extract<InteractionDetails, { prompt: 'consent' }>;

/**
 * "ChatGPT wants to see your Target account": allow or cancel, naming what is
 * shared, where the code goes (prominently: that is who gets access), and
 * whether the app's name is only what it calls itself.
 */
export function ConsentScreen({
  client,
  account,
  busy,
  error,
  onAllow,
  onDeny,
}: Consent & { busy: 'allow' | 'deny' | null; error?: string; onAllow: () => void; onDeny: () => void }) {
  return (
    <section className="screen consent" aria-labelledby="consent-title">
      <h1 id="consent-title">{client.name} wants to see your Target account</h1>
      {client.verified ? null : (
        <p className="unverified" role="note">
          Unverified app: “{client.name}” is the name it gave itself. Continue only if you started this from an app you trust.
        </p>
      )}
      <p className="receiver">
        <span className="receiver-label">You'll return to</span>{' '}
        <strong>{client.redirectHost}</strong>, which gets access to your account if you allow it.
      </p>
      <p className="muted">
        Signed in as <strong>{account.name}</strong> ({account.email})
      </p>
      <p>{client.name} will be able to see:</p>
      <ul className="consent-list">
        <li>your name</li>
        <li>your e-mail address</li>
      </ul>
      <FormError error={error} />
      <div className="consent-actions">
        <button type="button" className="primary" disabled={busy !== null} autoFocus onClick={onAllow}>
          {busy === 'allow' ? <span className="spinner" aria-hidden="true" /> : null}
          {busy === 'allow' ? 'Connecting…' : 'Allow'}
        </button>
        <button type="button" className="link" disabled={busy !== null} onClick={onDeny}>
          Cancel
        </button>
      </div>
    </section>
  );
}
