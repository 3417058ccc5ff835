/**
 * Away at an upstream provider in a browser tab: the code its start page asks
 * for, the link when the host could not open it, and a way back to the
 * password. The widget polls meanwhile (state/use-sign-in.ts).
 */
import { useId } from 'react';
import type { UpstreamButton } from '@target-auth/shared/linking';

export interface UpstreamScreenProps {
  provider?: UpstreamButton;
  /** `BCDF-GHJK`; unknown when the widget was reopened mid-way. */
  code?: string;
  url?: string;
  /** The host opened the link itself. */
  opened: boolean;
  cancelling: boolean;
  onCancel: () => void;
}

export function UpstreamScreen({ provider, code, url, opened, cancelling, onCancel }: UpstreamScreenProps) {
  const id = useId();
  const name = provider?.name ?? 'the other provider';
  if (code === undefined) {
    return (
      <section className="screen" aria-busy={cancelling}>
        <h1>Finish in the other tab</h1>
        <p className="lead">A sign-in with {name} is under way in another browser tab. Finish it there, or start again here.</p>
        <Waiting />
        <button type="button" className="link" onClick={onCancel} disabled={cancelling}>
          Start again
        </button>
      </section>
    );
  }
  return (
    <section className="screen" aria-busy={cancelling}>
      <h1>{opened ? 'Continue in the new tab' : `Sign in with ${name}`}</h1>
      {opened ? (
        <p className="lead">Sign in with {name} in the tab that opened. When it asks, type this code:</p>
      ) : (
        <>
          <p className="lead">Open this link in your browser, sign in with {name}, and type the code below when it asks.</p>
          <a className="secondary" href={url} target="_blank" rel="noopener noreferrer">
            Open {name} sign-in
          </a>
          <label htmlFor={`${id}-link`}>Or copy the link</label>
          <input id={`${id}-link`} className="copy-link" readOnly value={url} onFocus={(event) => event.target.select()} />
        </>
      )}
      <p className="hand-off-code" aria-label={`Code: ${code.split('').join(' ')}`}>
        {code}
      </p>
      <p className="muted hint">Never type this code anywhere someone else sends you.</p>
      <Waiting />
      <button type="button" className="link" onClick={onCancel} disabled={cancelling}>
        Use your password instead
      </button>
    </section>
  );
}

function Waiting() {
  return (
    <p className="waiting" role="status">
      <span className="spinner" aria-hidden="true" /> Waiting for you to finish signing in…
    </p>
  );
}
