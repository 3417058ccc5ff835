/**
 * `create`, run on the first call and shared by every caller after it; a
 * failed run is not remembered, so the next call tries again.
 */
export function lazily<T>(create: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= create().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
