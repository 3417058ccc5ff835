/** A refused request of the hosted sign-in page, answered by InteractionExceptionFilter with its status and `{ error, message }`. */
import { INTERACTION_EXPIRED_MESSAGE, type InteractionFailure } from '@target-auth/shared/linking';

export class LinkingError extends Error {
  override name = 'LinkingError';

  constructor(
    readonly status: number,
    readonly failure: InteractionFailure,
  ) {
    super(failure.message);
  }

  /** The page's interaction is over, unknown, or belongs to another browser. */
  static expired(): LinkingError {
    return new LinkingError(400, { error: 'interaction_expired', message: INTERACTION_EXPIRED_MESSAGE });
  }

  /** No sign-in stands behind the request (none handed over, or one that ended since). */
  static notSignedIn(message: string): LinkingError {
    return new LinkingError(401, { error: 'not_signed_in', message });
  }

  /** The interaction is at another step. */
  static wrongStep(message: string): LinkingError {
    return new LinkingError(409, { error: 'invalid_request', message });
  }
}
