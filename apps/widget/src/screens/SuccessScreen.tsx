/** Screen 3: signed in. The name is rendered as text, never as HTML. */
export function SuccessScreen({ name, email }: { name: string; email: string }) {
  return (
    <section className="screen success" aria-live="polite">
      <svg className="checkmark" viewBox="0 0 52 52" aria-hidden="true" focusable="false">
        <circle className="checkmark-circle" cx="26" cy="26" r="24" />
        <path className="checkmark-check" d="M15 27 l7 7 l15 -16" />
      </svg>
      <h1>Welcome Back!</h1>
      <p className="identity">Authenticated as {name}</p>
      <p className="muted">{email}</p>
    </section>
  );
}
