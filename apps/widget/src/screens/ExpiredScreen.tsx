/** The session expired or is unknown: only the assistant can start a new one. */
export function ExpiredScreen({ message }: { message: string }) {
  return (
    <section className="screen notice" role="alert">
      <h1>Sign-in expired</h1>
      <p>{message}</p>
      <p className="muted">Ask the assistant to sign you in to Target again.</p>
    </section>
  );
}
