/**
 * Teardown that cannot strand a handle: every step runs even when one fails
 * (an SMTP server or a database left open would keep Jest from exiting after a
 * failed spec), then the first failure is thrown.
 */
export async function settle(...steps: (() => unknown)[]): Promise<void> {
  const outcomes = [];
  for (const step of steps) outcomes.push(await Promise.resolve().then(step).then(() => undefined, (error: unknown) => ({ error })));
  const failed = outcomes.find((outcome) => outcome !== undefined);
  if (failed) throw failed.error;
}
