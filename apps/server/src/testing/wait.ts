/** Waits until `condition` holds, checking every 5 ms; fails after 5 s instead of hanging the spec file. */
export async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !condition(); await new Promise((resolve) => setTimeout(resolve, 5))) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
  }
}
