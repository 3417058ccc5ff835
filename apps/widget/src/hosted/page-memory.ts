/**
 * Where our pages keep their sign-in session while the person is away at an
 * upstream provider, so that they resume it when the provider sends the
 * browser back.
 */

/** Remembers one session id across the trip to a provider. */
export interface SessionMemory {
  keep(sessionId: string): void;
  /** The session kept before, forgotten as it is read. */
  take(): string | undefined;
}

/** The browser's sessionStorage, under a key per page (interaction). */
export function pageMemory(key: string): SessionMemory {
  return {
    keep: (sessionId) => sessionStorage.setItem(key, sessionId),
    take: () => {
      const kept = sessionStorage.getItem(key) ?? undefined;
      sessionStorage.removeItem(key);
      return kept;
    },
  };
}
