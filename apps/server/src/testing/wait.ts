/** Waits until `condition` holds, checking every 5 ms; fails after `timeoutMs` (5 s) instead of hanging the spec file. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); await new Promise((resolve) => setTimeout(resolve, 5))) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
  }
}
