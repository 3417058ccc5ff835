/**
 * Screen 2: the six-digit code, mailed (to the masked address shown) or from
 * an authenticator app. A refused code clears the boxes (a locked sign-in
 * has a screen of its own). A new code can be asked for once the cooldown has passed.
 */
import type { CodeDelivery } from '@target-auth/shared/tools';
import type { WidgetScreen } from '../state/widget-screen';
import { useEffect, useId, useState } from 'react';
import { CodeInput } from '../components/CodeInput';
import { FormError } from '../components/FormParts';

type Verifying = Extract<WidgetScreen, { screen: 'verifying' }>;

/** The code screen's state (see WidgetScreen) and what it does. */
export interface VerifyScreenProps
  extends Pick<Verifying, 'submitting' | 'error' | 'attemptsLeft' | 'retryable' | 'round' | 'purpose' | 'delivery' | 'resending' | 'resendAt' | 'notice'> {
  onSubmit: (code: string) => void;
  onResend?: () => void;
  /** The clock, for the resend countdown (tests pass their own). */
  now?: () => number;
}

function hint(delivery: CodeDelivery | undefined): string {
  switch (delivery?.method) {
    case 'email':
      return `Enter the 6-digit code we sent to ${delivery.sentTo}.`;
    case 'totp':
      return 'Enter the 6-digit code from your authenticator app.';
    default:
      return 'Enter the 6-digit code we sent you.';
  }
}

/** Seconds left before a resend, re-rendering once a second while it counts down. */
function useSecondsUntil(at: number | undefined, now: () => number): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (at === undefined) return;
    const timer = setInterval(() => {
      setTick((tick) => tick + 1);
      if (now() >= at) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [at, now]);
  return at === undefined ? 0 : Math.max(0, Math.ceil((at - now()) / 1000));
}

const HEADINGS = { 'sign-in': "Verify it's you", reset: 'Reset your password', link: "Confirm it's your account" } as const;

export function VerifyScreen(props: VerifyScreenProps) {
  const { submitting, error, attemptsLeft, retryable, round, purpose, delivery, resending, resendAt, notice, onSubmit, onResend } = props;
  const id = useId();
  const [lastCode, setLastCode] = useState('');
  const wait = useSecondsUntil(resendAt, props.now ?? Date.now);

  const submit = (code: string) => {
    setLastCode(code);
    onSubmit(code);
  };
  const canRetry = !!error && retryable === true && !submitting && lastCode !== '';
  const canResend = onResend !== undefined && delivery?.method !== 'totp';

  return (
    <section className="screen" aria-busy={submitting}>
      <h1>{HEADINGS[purpose ?? 'sign-in']}</h1>
      {purpose === 'link' && <p className="lead">This e-mail already has a Target account. Prove it is yours to add your new sign-in to it.</p>}
      <p className="lead" id={`${id}-hint`}>
        {hint(delivery)}
      </p>
      {/* Each refusal (and each new code) remounts the boxes: cleared, cursor in the first one. */}
      <CodeInput key={`${round ?? 0}-${attemptsLeft ?? 'fresh'}`} disabled={submitting} onComplete={submit} describedBy={`${id}-hint`} />
      {submitting && (
        <p className="status" role="status">
          <span className="spinner" aria-hidden="true" /> Checking code…
        </p>
      )}
      {notice && !error && (
        <p className="status" role="status">
          {notice}
        </p>
      )}
      <FormError error={error} />
      {canRetry && (
        <button type="button" className="primary" onClick={() => onSubmit(lastCode)}>
          Try again
        </button>
      )}
      {canResend && (
        <button type="button" className="link" onClick={onResend} disabled={submitting || resending || wait > 0}>
          {resending ? 'Sending…' : wait > 0 ? `Send a new code in ${wait} s` : 'Send a new code'}
        </button>
      )}
    </section>
  );
}
