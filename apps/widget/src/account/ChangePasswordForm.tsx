/** The account page's "Change password": the current password, then a new one (the server checks its strength). */
import { MIN_NEW_PASSWORD_LENGTH } from '@target-auth/shared/tools';
import { type FormEvent, useId, useState } from 'react';
import { TextField } from '../components/TextField';
import { SubmitButton } from '../components/FormParts';
import { validateNewPassword } from '../screens/NewPasswordScreen';

export interface ChangePasswordFormProps {
  busy: boolean;
  onSubmit: (current: string, password: string) => void;
  onCancel: () => void;
}

export function ChangePasswordForm({ busy, onSubmit, onCancel }: ChangePasswordFormProps) {
  const id = useId();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState({ current: false, password: false });
  const currentError = touched.current && current === '' ? 'Enter your current password' : undefined;
  const passwordError = touched.password ? validateNewPassword(password) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched({ current: true, password: true });
    if (busy || current === '' || validateNewPassword(password)) return;
    onSubmit(current, password);
  };

  return (
    <form className="confirm" onSubmit={submit} noValidate aria-busy={busy} aria-label="Change password">
      <TextField
        id={`${id}-current`}
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        error={currentError}
        disabled={busy}
        onChange={setCurrent}
        onBlur={() => setTouched((was) => ({ ...was, current: true }))}
      />
      <TextField
        id={`${id}-new`}
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        hint={`At least ${MIN_NEW_PASSWORD_LENGTH} characters. Every other sign-in of your account will end.`}
        error={passwordError}
        disabled={busy}
        onChange={setPassword}
        onBlur={() => setTouched((was) => ({ ...was, password: true }))}
      />
      <SubmitButton busy={busy} label="Change password" busyLabel="Changing…" />
      <button type="button" className="link" disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
