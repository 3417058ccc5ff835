/**
 * The account page's authenticator app: set one up (scan the QR code or type
 * the secret, then confirm with the app's first code), or remove it with a
 * code from it.
 */
import type { AuthenticatorSetup } from '@target-auth/shared/account';
import { type FormEvent, useId, useState } from 'react';
import { SubmitButton } from '../components/FormParts';

export interface AuthenticatorFormProps {
  /** The setup under way (with its QR code); undefined when removing. */
  setup?: AuthenticatorSetup;
  busy: boolean;
  onSubmit: (code: string) => void;
  onCancel: () => void;
}

const SIX_DIGITS = /^\d{6}$/;

export function AuthenticatorForm({ setup, busy, onSubmit, onCancel }: AuthenticatorFormProps) {
  const id = useId();
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const error = touched && !SIX_DIGITS.test(code) ? 'Enter the 6-digit code your app shows' : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (busy || !SIX_DIGITS.test(code)) return;
    onSubmit(code);
  };

  return (
    <form className="confirm" onSubmit={submit} noValidate aria-busy={busy} aria-label={setup ? 'Set up an authenticator app' : 'Remove the authenticator app'}>
      {setup ? (
        <>
          <p>Scan this code with your authenticator app, or type the key into it.</p>
          <img className="qr" src={setup.qr} alt="QR code for your authenticator app" width={180} height={180} />
          <p className="hint">
            Key: <code className="secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
        </>
      ) : (
        <p>Sign-ins will ask for a code mailed to you instead. Every other sign-in of your account ends.</p>
      )}
      <label htmlFor={`${id}-code`}>Code from your app</label>
      <input
        id={`${id}-code`}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
        onBlur={() => setTouched(true)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        disabled={busy}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      <SubmitButton busy={busy} label={setup ? 'Turn on' : 'Remove authenticator app'} busyLabel={setup ? 'Turning on…' : 'Removing…'} />
      <button type="button" className="link" disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
