/** Where the dev harness starts the widget, and the fake backend's rules for each start. */
export const SCENARIOS = ['fresh', 'signed-in', 'expired', 'wrong-code', 'locked', 'network-failure', 'household', 'upstream'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const BACKENDS = ['fake', 'server'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface HarnessOptions {
  scenario: Scenario;
  backend: Backend;
  theme: 'light' | 'dark';
  /** Base URL of the real local server, for the `server` backend. */
  serverUrl: string;
}

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** The harness's options from its address; `?server=URL` alone means the real server there. */
export function readOptions(search: string): HarnessOptions {
  const query = new URLSearchParams(search);
  return {
    scenario: pick(query.get('scenario'), SCENARIOS, 'fresh'),
    backend: pick(query.get('backend'), BACKENDS, query.has('server') ? 'server' : 'fake'),
    theme: pick(query.get('theme'), ['light', 'dark'] as const, 'light'),
    serverUrl: query.get('server') ?? 'http://localhost:3000',
  };
}
