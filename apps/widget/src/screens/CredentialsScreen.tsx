/** Screen 1: email and password, validated inline, submitted once. */
import { type FormEvent, useId, useState } from 'react';
import { EmailField, TextField } from '../components/TextField';
import { FormError, SubmitButton } from '../components/FormParts';
import type { UpstreamButton } from '@target-auth/shared/linking';

export interface CredentialsScreenProps {
  submitting: boolean;
  /** Solving the challenge the server asked for, before resubmitting. */
  checking?: boolean;
  /** The server's word on the last attempt. */
  error?: string;
  onSubmit: (email: string, password: string) => void;
  onForgot: () => void;
  /** Upstream providers ("Continue with Google"), when the page offers them. */
  providers?: readonly UpstreamButton[];
  onUpstream?: (providerId: string) => void;
  /** "Sign in with a passkey", on this server's own pages (a host's frame cannot use passkeys). */
  passkey?: { onStart: () => void; busy: boolean; error?: string | undefined };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(email: string): string | undefined {
  if (email.trim() === '') return 'Enter your email address';
  return EMAIL.test(email.trim()) ? undefined : 'Enter a valid email address';
}

export function validatePassword(password: string): string | undefined {
  return password === '' ? 'Enter your password' : undefined;
}

export function CredentialsScreen({ submitting, checking = false, error, onSubmit, onForgot, providers = [], onUpstream, passkey }: CredentialsScreenProps) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState({ email: false, password: false });
  const emailError = touched.email ? validateEmail(email) : undefined;
  const passwordError = touched.password ? validatePassword(password) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched({ email: true, password: true });
    if (submitting || validateEmail(email) || validatePassword(password)) return;
    onSubmit(email.trim(), password);
  };

  return (
    <form className="screen" onSubmit={submit} noValidate aria-busy={submitting}>
      <h1>Sign in</h1>
      <p className="lead">Use your Target.com account.</p>
      <EmailField
        id={`${id}-email`}
        value={email}
        error={emailError}
        disabled={submitting}
        onChange={setEmail}
        onBlur={() => setTouched((t) => ({ ...t, email: true }))}
      />
      <TextField
        id={`${id}-password`}
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        error={passwordError}
        disabled={submitting}
        onChange={setPassword}
        onBlur={() => setTouched((t) => ({ ...t, password: true }))}
      />
      <FormError error={error} />
      <SubmitButton busy={submitting} label="Sign In" busyLabel={checking ? 'Checking…' : 'Signing in…'} />
      <button type="button" className="link" onClick={onForgot} disabled={submitting}>
        Forgot password?
      </button>
      {((onUpstream && providers.length > 0) || passkey) && (
        <div className="upstream" role="group" aria-label="Other ways to sign in">
          <p className="divider">or</p>
          {passkey && (
            <>
              <button type="button" className="secondary" onClick={passkey.onStart} disabled={submitting || passkey.busy}>
                {passkey.busy ? <span className="spinner" aria-hidden="true" /> : null}
                Sign in with a passkey
              </button>
              <FormError error={passkey.error} />
            </>
          )}
          {onUpstream && providers.map((provider) => (
            <button key={provider.id} type="button" className="secondary" onClick={() => onUpstream(provider.id)} disabled={submitting}>
              Continue with {provider.name}
            </button>
          ))}
        </div>
      )}
    </form>
  );
}
