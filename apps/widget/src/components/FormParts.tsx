/** The pieces every form screen ends with: the server's word on the last attempt, and the submit button. */

/** An error from the server, announced to screen readers; nothing when there is none. */
export function FormError({ error }: { error?: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  );
}

/** The primary submit button: a spinner and `busyLabel` while busy, then disabled. */
export function SubmitButton({ busy, label, busyLabel }: { busy: boolean; label: string; busyLabel: string }) {
  return (
    <button type="submit" className="primary" disabled={busy}>
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      {busy ? busyLabel : label}
    </button>
  );
}
