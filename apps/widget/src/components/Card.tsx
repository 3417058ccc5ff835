import type { ReactNode } from 'react';

/** The brand header and card every screen sits in. */
export function Card({ children }: { children: ReactNode }) {
  return (
    <main className="auth-card">
      <header className="brand">
        <svg className="brand-logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
          <circle cx="16" cy="16" r="15" fill="currentColor" />
          <circle cx="16" cy="16" r="10" fill="var(--card-bg)" />
          <circle cx="16" cy="16" r="5.5" fill="currentColor" />
        </svg>
        <span className="brand-name">Target</span>
      </header>
      {children}
    </main>
  );
}
