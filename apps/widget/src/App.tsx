/**
 * The widget: the sign-in's state and actions (state/use-sign-in.ts), one
 * screen component per state, inside the brand card.
 */
import { PASSKEY_HAND_OFF, type UpstreamButton } from '@target-auth/shared/linking';
import type { HostBridge } from './bridge/host-bridge';
import { Card } from './components/Card';
import { CredentialsScreen } from './screens/CredentialsScreen';
import { EndedScreen } from './screens/EndedScreen';
import { ErrorScreen } from './screens/ErrorScreen';
import { ForgotScreen } from './screens/ForgotScreen';
import { LoadingScreen } from './screens/LoadingScreen';
import { NewPasswordScreen } from './screens/NewPasswordScreen';
import { ProfileScreen } from './screens/ProfileScreen';
import { SuccessScreen } from './screens/SuccessScreen';
import { UpstreamScreen } from './screens/UpstreamScreen';
import { VerifyScreen } from './screens/VerifyScreen';
import { deviceKey } from './state/device-key';
import { type ChallengeSolver, solveProofOfWork } from './state/proof-of-work';
import { LOAD_TIMEOUT_MS, useSignIn } from './state/use-sign-in';

export { LOAD_TIMEOUT_MS };

export interface AppProps {
  bridge: HostBridge;
  loadTimeoutMs?: number;
  /** Solves the server's proof-of-work challenge (tests pass a fast one). */
  solveChallenge?: ChallengeSolver;
  /** What an expired or locked sign-in tells the person to do; the hosted page sends them back to the app. */
  restartHint?: string;
  /** This browser's device key (state/device-key.ts), if it can keep one. */
  device?: () => string | undefined;
  /**
   * Upstream providers the credentials screen offers, and how to go to one:
   * the hosted page leaves for it. In a chat, the providers come with the
   * sign-in and the host opens a start link instead.
   */
  upstream?: { providers: readonly UpstreamButton[]; begin: (sessionId: string, providerId: string) => void };
  /** How often a chat asks whether the sign-in in the other tab finished (tests pass a short one). */
  pollMs?: number;
  /**
   * "Sign in with a passkey" on this server's pages: begins the page's own
   * prompt for the session; its progress and refusal (null where the browser
   * has no WebAuthn). Left out in a chat, whose frame cannot use passkeys: it
   * hands off to this server's passkey page in the person's browser, as
   * "Continue with {provider}" does.
   */
  passkey?: PasskeyOffer | null;
}

/** A page's own passkey prompt: begins it for a session; its progress and refusal. */
export interface PasskeyOffer {
  begin: (sessionId: string) => void;
  busy: boolean;
  error?: string | undefined;
}

export function App({ bridge, loadTimeoutMs = LOAD_TIMEOUT_MS, solveChallenge = solveProofOfWork, restartHint, device = deviceKey, upstream, pollMs, passkey }: AppProps) {
  const { state, actions, providers } = useSignIn({ bridge, loadTimeoutMs, solveChallenge, device, ...(pollMs !== undefined && { pollMs }) });
  const offered = upstream ?? { providers, begin: (sessionId: string, providerId: string) => void actions.startUpstream(sessionId, providerId) };
  const passkeyOffer = passkey === undefined ? { begin: (sessionId: string) => void actions.startUpstream(sessionId, PASSKEY_HAND_OFF.id), busy: false } : passkey;
  return <Card>{renderScreen()}</Card>;

  function renderScreen() {
    switch (state.screen) {
      case 'loading':
        return <LoadingScreen />;
      case 'credentials': {
        const id = state.sessionId;
        return (
          <CredentialsScreen
            submitting={state.submitting}
            checking={state.checking}
            error={state.error}
            onSubmit={(email, password) => void actions.submitCredentials(id, email, password)}
            onForgot={actions.openForgot}
            providers={offered.providers}
            onUpstream={(providerId) => offered.begin(id, providerId)}
            {...(passkeyOffer && { passkey: { onStart: () => passkeyOffer.begin(id), busy: passkeyOffer.busy, error: passkeyOffer.error } })}
          />
        );
      }
      case 'forgot': {
        const id = state.sessionId;
        return <ForgotScreen submitting={state.submitting} error={state.error} onSubmit={(email) => void actions.startReset(id, email)} onBack={actions.closeForgot} />;
      }
      case 'verifying': {
        const id = state.sessionId;
        return <VerifyScreen {...state} onSubmit={(code) => void actions.verifyCode(id, code)} onResend={() => void actions.resendCode(id)} />;
      }
      case 'new-password': {
        const id = state.sessionId;
        return <NewPasswordScreen submitting={state.submitting} error={state.error} onSubmit={(password) => void actions.setPassword(id, password)} />;
      }
      case 'profile': {
        const id = state.sessionId;
        return <ProfileScreen profiles={state.profiles} submitting={state.submitting} error={state.error} onChoose={(profileId) => void actions.chooseProfile(id, profileId)} />;
      }
      case 'upstream': {
        const id = state.sessionId;
        return (
          <UpstreamScreen
            provider={state.provider}
            code={state.code}
            url={state.url}
            opened={state.opened}
            cancelling={state.cancelling}
            onCancel={() => void actions.cancelUpstream(id)}
          />
        );
      }
      case 'success':
        return <SuccessScreen name={state.name} email={state.email} profile={state.profile} />;
      case 'expired':
      case 'locked':
        return <EndedScreen why={state.screen} message={state.message} {...(restartHint !== undefined && { restartHint })} />;
      case 'error':
        return (
          <ErrorScreen
            message={state.sessionId ? `${state.message} Try again.` : `${state.message} Ask the assistant to start the sign-in again.`}
            onRetry={state.sessionId ? actions.retry : undefined}
          />
        );
    }
  }
}
