/** A labelled input with its inline error, tied together for screen readers. */
export interface TextFieldProps {
  id: string;
  label: string;
  type: 'email' | 'password';
  autoComplete: string;
  value: string;
  error?: string;
  /** A standing hint under the field (e.g. the password rules). */
  hint?: string;
  disabled: boolean;
  onChange: (value: string) => void;
  onBlur: () => void;
}

export function TextField({ id, label, type, autoComplete, value, error, hint, disabled, onChange, onBlur }: TextFieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        name={type}
        autoComplete={autoComplete}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        disabled={disabled}
      />
      {hint && (
        <p id={hintId} className="muted hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </>
  );
}

/** The e-mail field the sign-in and reset screens share. */
export function EmailField(props: Omit<TextFieldProps, 'label' | 'type' | 'autoComplete' | 'hint'>) {
  return <TextField {...props} label="Email address" type="email" autoComplete="email" />;
}
