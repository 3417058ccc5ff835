/**
 * The one failure of every shared store (sessions, limits, the challenge
 * record, account linking's state): it cannot answer, so callers say
 * "unavailable" and never guess.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** Redis errors (connection lost, offline, command timeout) as the store's one failure. */
export async function unavailableOnError<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (error) {
    throw new StoreUnavailableError(`Redis: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
