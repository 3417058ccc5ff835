/** After a reset code: the new password (the server checks its strength). */
import { MAX_NEW_PASSWORD_LENGTH, MIN_NEW_PASSWORD_LENGTH } from '@target-auth/shared/tools';
import { type FormEvent, useId, useState } from 'react';
import { TextField } from '../components/TextField';
import { FormError, SubmitButton } from '../components/FormParts';

export interface NewPasswordScreenProps {
  submitting: boolean;
  error?: string;
  onSubmit: (password: string) => void;
}

export function validateNewPassword(password: string): string | undefined {
  const length = [...password].length;
  if (length === 0) return 'Enter a new password';
  if (length < MIN_NEW_PASSWORD_LENGTH) return `Use at least ${MIN_NEW_PASSWORD_LENGTH} characters`;
  if (length > MAX_NEW_PASSWORD_LENGTH) return `Use at most ${MAX_NEW_PASSWORD_LENGTH} characters`;
  return undefined;
}

export function NewPasswordScreen({ submitting, error, onSubmit }: NewPasswordScreenProps) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const fieldError = touched ? validateNewPassword(password) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (submitting || validateNewPassword(password)) return;
    onSubmit(password);
  };

  return (
    <form className="screen" onSubmit={submit} noValidate aria-busy={submitting}>
      <h1>Choose a new password</h1>
      <p className="lead">Your code was right. Pick a password you don't use anywhere else.</p>
      <TextField
        id={`${id}-password`}
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        hint={`At least ${MIN_NEW_PASSWORD_LENGTH} characters. A few unrelated words work well.`}
        error={fieldError}
        disabled={submitting}
        onChange={setPassword}
        onBlur={() => setTouched(true)}
      />
      <FormError error={error} />
      <SubmitButton busy={submitting} label="Save and sign in" busyLabel="Saving…" />
    </form>
  );
}
