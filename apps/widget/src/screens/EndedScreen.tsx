/**
 * A sign-in that cannot go on: expired (or unknown), or locked after too many
 * wrong codes. Only whoever started it (the assistant, or the app on the
 * hosted page) can start a new one, so the screen says so and offers nothing else.
 */
export const ENDED_TITLES = { expired: 'Sign-in expired', locked: 'Sign-in locked' } as const;

export interface EndedScreenProps {
  why: keyof typeof ENDED_TITLES;
  message: string;
  restartHint?: string;
}

export function EndedScreen({ why, message, restartHint = 'Ask the assistant to sign you in to Target again.' }: EndedScreenProps) {
  return (
    <section className="screen notice" role="alert">
      <h1>{ENDED_TITLES[why]}</h1>
      <p>{message}</p>
      <p className="muted">{restartHint}</p>
    </section>
  );
}
