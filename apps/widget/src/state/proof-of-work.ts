/**
 * Solves the server's ALTCHA proof-of-work challenge in the page (Web Crypto
 * SHA-256; no third party, works in the sandboxed iframe) and encodes the
 * answer as the `altcha` value to resubmit with the credentials.
 */
import type { ProofOfWorkChallenge } from '@target-auth/shared/tools';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';

export type ChallengeSolver = (challenge: ProofOfWorkChallenge) => Promise<string>;

export const solveProofOfWork: ChallengeSolver = async (challenge) => {
  const solution = await solveChallenge({ challenge: challenge as unknown as Challenge, deriveKey, timeout: 30_000 });
  if (!solution) throw new Error('challenge not solved');
  return btoa(JSON.stringify({ challenge, solution }));
};
