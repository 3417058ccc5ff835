/** The session expired or is unknown: only whoever started the sign-in (the assistant, or the app on the hosted page) can start a new one. */
export function ExpiredScreen({ message, restartHint = 'Ask the assistant to sign you in to Target again.' }: { message: string; restartHint?: string }) {
  return (
    <section className="screen notice" role="alert">
      <h1>Sign-in expired</h1>
      <p>{message}</p>
      <p className="muted">{restartHint}</p>
    </section>
  );
}
