/**
 * A real OAuth client for linking tests: the MCP SDK v2's own `auth()` flow
 * (discovery, dynamic registration, PKCE, token exchange) with an in-memory
 * provider whose "browser" is a Playwright page.
 */
import type { OAuthClientMetadata, OAuthClientProvider, OAuthDiscoveryState, StoredOAuthClientInformation, StoredOAuthTokens } from '@modelcontextprotocol/client';

export class TestOAuthClient implements OAuthClientProvider {
  private information: StoredOAuthClientInformation | undefined;
  private saved: StoredOAuthTokens | undefined;
  private verifier = '';
  private discovery: OAuthDiscoveryState | undefined;
  /** The authorization URL the SDK asked us to open, once it did. */
  authorizationUrl: URL | undefined;

  constructor(
    readonly redirectUrl: string,
    private readonly name: string,
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.name, redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }

  state(): string {
    return 'linking-test-state';
  }

  clientInformation() {
    return this.information;
  }

  saveClientInformation(information: StoredOAuthClientInformation): void {
    this.information = information;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  /** Kept with the verifier, so the SDK can check the code comes back from the server it started with. */
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
}

/** `resource_metadata="…"` from a `WWW-Authenticate` value. */
export function resourceMetadataOf(challenge: string): URL {
  const match = /resource_metadata="([^"]+)"/.exec(challenge);
  if (!match) throw new Error(`no resource_metadata in ${challenge}`);
  return new URL(match[1]!);
}
