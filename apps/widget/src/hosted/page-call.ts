/**
 * The calls our own pages (the hosted sign-in page, the account page) make to
 * this origin: JSON in and out, the page's cookies riding along. A refusal
 * becomes the page's error type with the server's words and status.
 */

/** A refusal the server words for people: `message` is safe to show. */
export interface Refusal {
  error: string;
  message: string;
}

export type PageCall = <T>(path: string, method: 'GET' | 'POST', body?: object) => Promise<T>;

const NETWORK: Refusal = { error: 'invalid_request', message: "We couldn't reach Target. Check your connection and try again." };

/**
 * A caller that throws `refused(failure, status)`: the server's refusal when
 * it words one, `fallback` when it does not, and status 0 when nothing answers.
 */
export function pageCall<F extends Refusal>(fetcher: typeof fetch, fallback: F, refused: (failure: F, status: number) => Error): PageCall {
  return async <T>(path: string, method: 'GET' | 'POST', body?: object): Promise<T> => {
    let response: Response;
    try {
      response = await fetcher(path, {
        method,
        credentials: 'same-origin',
        ...(method === 'POST' && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
      });
    } catch {
      throw refused(NETWORK as F, 0);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw refused(isRefusal(json) ? (json as F) : fallback, response.status);
    return json as T;
  };
}

function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && typeof (value as Refusal).message === 'string' && typeof (value as Refusal).error === 'string';
}
