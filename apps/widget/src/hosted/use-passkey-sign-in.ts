/**
 * "Sign in with a passkey" on this server's pages: the options for the
 * page's sign-in, the browser's passkey prompt (@simplewebauthn/browser),
 * then the server's check, which signs the sign-in in. Offered only where
 * the browser has WebAuthn.
 */
import { useCallback, useMemo, useState } from 'react';
import { browserSupportsWebAuthn, type PublicKeyCredentialRequestOptionsJSON, startAuthentication } from '@simplewebauthn/browser';
import type { AuthenticateResult, CodeAcceptedResult } from '@target-auth/shared/tools';

/** The page's calls for a passkey sign-in. */
export interface PasskeySignInApi {
  passkeyOptions(sessionId: string): Promise<PublicKeyCredentialRequestOptionsJSON>;
  passkeySignIn(sessionId: string, response: unknown): Promise<CodeAcceptedResult>;
}

export type Authenticate = (options: { optionsJSON: PublicKeyCredentialRequestOptionsJSON }) => Promise<unknown>;

const CANCELLED = 'The passkey sign-in was cancelled or timed out. Try again, or sign in with your password.';

export function usePasskeySignIn(
  api: PasskeySignInApi,
  /** Where the screens go once the server signed the session in. */
  onSignedIn: (result: AuthenticateResult) => void,
  options: { authenticate?: Authenticate; supported?: () => boolean } = {},
): { begin: (sessionId: string) => void; busy: boolean; error?: string } | undefined {
  const { authenticate = startAuthentication, supported = browserSupportsWebAuthn } = options;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const offered = useMemo(() => supported(), [supported]);
  const begin = useCallback(
    (sessionId: string) => {
      setBusy(true);
      setError(undefined);
      (async () => {
        const optionsJSON = await api.passkeyOptions(sessionId);
        let response: unknown;
        try {
          response = await authenticate({ optionsJSON });
        } catch {
          throw new Error(CANCELLED);
        }
        return api.passkeySignIn(sessionId, response);
      })().then(
        (result) => {
          setBusy(false);
          onSignedIn({ sessionId, ...result });
        },
        (failure: unknown) => {
          setBusy(false);
          setError(failure instanceof Error ? failure.message : CANCELLED);
        },
      );
    },
    [api, authenticate, onSignedIn],
  );
  if (!offered) return undefined;
  return { begin, busy, ...(error !== undefined && { error }) };
}
