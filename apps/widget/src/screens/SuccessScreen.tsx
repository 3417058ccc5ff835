/** Screen 3: signed in. Names are rendered as text, never as HTML. */
export function SuccessScreen({ name, email, profile }: { name: string; email: string; profile?: string }) {
  return (
    <section className="screen success" aria-live="polite">
      <svg className="checkmark" viewBox="0 0 52 52" aria-hidden="true" focusable="false">
        <circle className="checkmark-circle" cx="26" cy="26" r="24" />
        <path className="checkmark-check" d="M15 27 l7 7 l15 -16" />
      </svg>
      <h1>Welcome Back!</h1>
      <p className="identity">Authenticated as {profile ?? name}</p>
      <p className="muted">{email}</p>
    </section>
  );
}
