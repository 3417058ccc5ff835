/**
 * The widget's screens as one discriminated union, and the state it hands to
 * ChatGPT's `setWidgetState`. The reducer over these lives in
 * apps/widget/src/state/auth-reducer.ts.
 */

/** One value per visual state of the widget; no contradictory booleans. */
export type WidgetScreen =
  | { screen: 'loading' }
  | {
      screen: 'credentials';
      sessionId: string;
      submitting: boolean;
      /** A message from the server about the last attempt, if it failed. */
      error?: string;
    }
  | {
      screen: 'verifying';
      sessionId: string;
      submitting: boolean;
      error?: string;
      attemptsLeft?: number;
      /** Too many wrong codes: only a new sign-in helps. */
      locked: boolean;
    }
  | { screen: 'success'; name: string; email: string }
  | { screen: 'expired'; message: string }
  | { screen: 'error'; message: string; sessionId?: string };

/**
 * What the widget stores with ChatGPT after success. Only `modelContent` reaches
 * the model. Never a password, code or token.
 */
export interface AuthWidgetState {
  modelContent: { authenticated: true; name: string };
  privateContent: { email: string };
}

export type Theme = 'light' | 'dark';
