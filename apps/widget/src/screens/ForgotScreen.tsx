/** "Forgot password?": the e-mail to send a reset code to. */
import { type FormEvent, useId, useState } from 'react';
import { EmailField } from '../components/TextField';
import { validateEmail } from './CredentialsScreen';
import { FormError, SubmitButton } from '../components/FormParts';

export interface ForgotScreenProps {
  submitting: boolean;
  error?: string;
  onSubmit: (email: string) => void;
  onBack: () => void;
}

export function ForgotScreen({ submitting, error, onSubmit, onBack }: ForgotScreenProps) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [touched, setTouched] = useState(false);
  const emailError = touched ? validateEmail(email) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (submitting || validateEmail(email)) return;
    onSubmit(email.trim());
  };

  return (
    <form className="screen" onSubmit={submit} noValidate aria-busy={submitting}>
      <h1>Reset your password</h1>
      <p className="lead">Enter the email of your Target.com account and we'll send you a code.</p>
      <EmailField
        id={`${id}-email`}
        value={email}
        error={emailError}
        disabled={submitting}
        onChange={setEmail}
        onBlur={() => setTouched(true)}
      />
      <FormError error={error} />
      <SubmitButton busy={submitting} label="Send code" busyLabel="Sending…" />
      <button type="button" className="link" onClick={onBack} disabled={submitting}>
        Back to sign in
      </button>
    </form>
  );
}
