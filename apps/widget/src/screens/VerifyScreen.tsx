/** Screen 2: the six-digit code. A wrong code clears the boxes; a locked sign-in stops here. */
import { useId, useState } from 'react';
import { CodeInput } from '../components/CodeInput';

export interface VerifyScreenProps {
  submitting: boolean;
  locked: boolean;
  error?: string;
  attemptsLeft?: number;
  onSubmit: (code: string) => void;
}

export function VerifyScreen({ submitting, locked, error, attemptsLeft, onSubmit }: VerifyScreenProps) {
  const id = useId();
  const [lastCode, setLastCode] = useState('');

  const submit = (code: string) => {
    setLastCode(code);
    onSubmit(code);
  };
  const canRetry = !!error && attemptsLeft === undefined && !locked && !submitting && lastCode !== '';

  return (
    <section className="screen" aria-busy={submitting}>
      <h1>Verify it's you</h1>
      <p className="lead" id={`${id}-hint`}>
        Enter the 6-digit code we sent you.
      </p>
      {/* Each rejected code remounts the boxes: cleared, cursor in the first one. */}
      <CodeInput key={attemptsLeft ?? 'fresh'} disabled={submitting || locked} onComplete={submit} describedBy={`${id}-hint`} />
      {submitting && (
        <p className="status" role="status">
          <span className="spinner" aria-hidden="true" /> Checking code…
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {canRetry && (
        <button type="button" className="primary" onClick={() => onSubmit(lastCode)}>
          Try again
        </button>
      )}
    </section>
  );
}
