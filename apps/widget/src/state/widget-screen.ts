/** The widget's screens as one discriminated union; the reducer over them is auth-reducer.ts. */
import type { UpstreamButton } from '@target-auth/shared/linking';
import type { CodeDelivery, CodePurpose, ProfileChoice } from '@target-auth/shared/tools';

/** One value per visual state of the widget; no contradictory booleans. */
export type WidgetScreen =
  | { screen: 'loading' }
  | {
      screen: 'credentials';
      sessionId: string;
      submitting: boolean;
      /** Solving the proof-of-work challenge before resubmitting ("Checking…"). */
      checking?: boolean;
      /** A message from the server about the last attempt, if it failed. */
      error?: string;
    }
  | { screen: 'forgot'; sessionId: string; submitting: boolean; error?: string }
  | {
      screen: 'verifying';
      sessionId: string;
      submitting: boolean;
      error?: string;
      attemptsLeft?: number;
      /** The last failure was the network's: the same code may be sent again. */
      retryable?: boolean;
      /** Counts refusals, so the code boxes clear after each one. */
      round?: number;
      purpose?: CodePurpose;
      /** Where the code went (a masked address), or that it comes from an authenticator app. */
      delivery?: CodeDelivery;
      resending?: boolean;
      /** Epoch ms from which another code may be asked for. */
      resendAt?: number;
      /** A word after a new code was sent. */
      notice?: string;
    }
  | { screen: 'new-password'; sessionId: string; submitting: boolean; error?: string }
  /**
   * Away at an upstream provider in a browser tab: the code that tab's start
   * page asks for, and the link (shown when the host could not open it).
   * Reopened mid-way, neither is known.
   */
  | {
      screen: 'upstream';
      sessionId: string;
      provider?: UpstreamButton;
      code?: string;
      url?: string;
      /** The host opened the link itself. */
      opened: boolean;
      /** Giving up for the password is under way. */
      cancelling: boolean;
    }
  | { screen: 'profile'; sessionId: string; submitting: boolean; profiles: ProfileChoice[]; error?: string }
  | { screen: 'success'; name: string; email: string; profile?: string }
  | { screen: 'expired'; message: string }
  /** Too many wrong codes: only a new sign-in helps. */
  | { screen: 'locked'; message: string }
  | { screen: 'error'; message: string; sessionId?: string };
