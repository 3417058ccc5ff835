/** Screen 2: the six-digit code. A wrong code clears the boxes; a locked sign-in stops here. */
import { useEffect, useId, useRef, useState } from 'react';
import { CodeInput } from '../components/CodeInput';

export interface VerifyScreenProps {
  submitting: boolean;
  locked: boolean;
  error?: string;
  attemptsLeft?: number;
  onSubmit(code: string): void;
}

export function VerifyScreen({ submitting, locked, error, attemptsLeft, onSubmit }: VerifyScreenProps) {
  const id = useId();
  const [resetKey, setResetKey] = useState(0);
  const lastCode = useRef('');

  // A rejected code clears the boxes and puts the cursor back in the first one.
  useEffect(() => {
    if (attemptsLeft !== undefined && !locked) setResetKey((key) => key + 1);
  }, [attemptsLeft, error, locked]);

  const submit = (code: string) => {
    lastCode.current = code;
    onSubmit(code);
  };
  const canRetry = !!error && attemptsLeft === undefined && !locked && !submitting && lastCode.current !== '';

  return (
    <section className="screen" aria-busy={submitting}>
      <h1>Verify it's you</h1>
      <p className="lead" id={`${id}-hint`}>
        Enter the 6-digit code we sent you.
      </p>
      <CodeInput disabled={submitting || locked} resetKey={resetKey} onComplete={submit} describedBy={`${id}-hint`} />
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
        <button type="button" className="primary" onClick={() => onSubmit(lastCode.current)}>
          Try again
        </button>
      )}
    </section>
  );
}
