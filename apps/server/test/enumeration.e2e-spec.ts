/**
 * No answer tells whether an e-mail is stored. Sign-in (a wrong password),
 * "Forgot password?" and "Send a new code" are asked for 200 stored, 200
 * unknown and 200 disabled addresses each (every address once, in a shuffled
 * order, so the mail worker's later work falls on all groups alike); the
 * answers must match in status, body and headers, and their times must not be
 * told apart: medians within 2 ms and a Mann–Whitney test with p > 0.01. A p
 * below that is measured once more with fresh samples before it counts: by
 * its definition p falls below 0.01 one time in a hundred with no difference
 * at all, and the leaks this guards against (112 ms against 3 ms, measured
 * before the outbox) show in every sample.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { settle } from '../src/testing/teardown.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { AccountStore } from '../src/accounts/store/account-store.js';
import { openDatabase } from '../src/accounts/store/database.js';
import { SessionService } from '../src/session/session.service.js';
import { embeddedTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { mannWhitneyP, median } from '../src/testing/timing.js';
import { type Running, startServer } from './helpers.js';
import { TestMailbox } from './real-mode.js';

const SAMPLES = 200;
const PASSWORD = 'Velvet-Otter-Quarry-81';
const KINDS = ['stored', 'unknown', 'disabled'] as const;
type Kind = (typeof KINDS)[number];

const mailbox = new TestMailbox();
let database: TestDatabase;
let server: Running;
let sessions: SessionService;
/** Each address is used once (a batch of SAMPLES per measurement): budgets and challenges never enter it. */
let batches = 0;
const BATCHES = 6;
const BUDGET = 'a.budget@example.com';

/** Every address masks alike (`a•••@example.com`): only what is stored differs. */
const address = (kind: Kind, n: number) => `a.${kind}.${n}@example.com`;

/** The addresses of the next batch: each measurement (and its repeat, if any) takes fresh ones. */
function nextBatch(): (kind: Kind, i: number) => string {
  const first = batches++ * SAMPLES;
  if (first >= BATCHES * SAMPLES) throw new Error('out of addresses');
  return (kind, i) => address(kind, first + i);
}

beforeAll(async () => {
  database = embeddedTestDatabase();
  const opened = await openDatabase({ dataDir: database.dataDir });
  const store = new AccountStore(opened.db);
  const passwordHash = await hashPassword(PASSWORD);
  for (let n = 0; n < BATCHES * SAMPLES; n++) {
    await store.create({ email: address('stored', n), displayName: `Stored ${n}`, passwordHash });
    const off = await store.create({ email: address('disabled', n), displayName: `Off ${n}`, passwordHash });
    await store.changeCredentials(off.id, { status: 'disabled' }, new Date());
  }
  await store.create({ email: BUDGET, displayName: 'Budget', passwordHash });
  await opened.close();
  server = await startServer({ ...database.env, DEMO_MODE: 'false', SMTP_URL: await mailbox.start(), LOG_LEVEL: 'error', SESSION_TTL_MS: '3600000' });
  sessions = server.app.get(SessionService);
}, 300_000);

afterAll(async () => {
  await settle(
    () => server?.close(),
    () => mailbox.stop(),
    () => database?.drop(),
  );
});

interface Answer {
  kind: Kind;
  ms: number;
  status: number;
  body: string;
  headers: string;
}

async function post(path: string, body: object): Promise<Omit<Answer, 'kind'>> {
  const started = performance.now();
  const response = await fetch(`${server.baseUrl}/api/session/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  const ms = performance.now() - started;
  const headers = JSON.stringify([...response.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id'));
  return { ms, status: response.status, body: text, headers };
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Runs `ask` once per address of each kind, in a shuffled order, pausing between requests so background work settles. */
async function measure(ask: (kind: Kind, i: number) => Promise<Omit<Answer, 'kind'>>, before?: (kind: Kind, i: number) => Promise<void>): Promise<Answer[]> {
  const order = shuffled(KINDS.flatMap((kind) => Array.from({ length: SAMPLES }, (_, i) => ({ kind, i }))));
  if (before) for (const { kind, i } of order) await before(kind, i);
  const answers: Answer[] = [];
  for (const { kind, i } of order) {
    answers.push({ kind, ...(await ask(kind, i)) });
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  return answers;
}

/** The answers of each kind alike, and their times not told apart from the stored ones'. */
async function indistinguishable(name: string, run: () => Promise<Answer[]>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const answers = await run();
    const of = (kind: Kind) => answers.filter((answer) => answer.kind === kind);
    const shapes = new Set(answers.map(({ status, body, headers }) => JSON.stringify([status, body, headers])));
    expect([...shapes]).toHaveLength(1);
    const times = Object.fromEntries(KINDS.map((kind) => [kind, of(kind).map((answer) => answer.ms)])) as Record<Kind, number[]>;
    const medians = Object.fromEntries(KINDS.map((kind) => [kind, median(times[kind])]));
    const p = { unknown: mannWhitneyP(times.stored, times.unknown), disabled: mannWhitneyP(times.stored, times.disabled) };
    const apart = p.unknown <= 0.01 || p.disabled <= 0.01;
    // The figures are printed when asked for (TEST_LOGS=1) or when they call for a second look.
    if (apart || process.env['TEST_LOGS'] === '1') {
      console.log(`${name} (attempt ${attempt}): medians (ms) ${JSON.stringify(medians)}, Mann–Whitney p against stored ${JSON.stringify(p)}`);
    }
    for (const kind of ['unknown', 'disabled'] as const) expect(Math.abs(medians[kind]! - medians['stored']!)).toBeLessThan(2);
    if (!apart) return;
    if (attempt === 2) expect(Math.min(p.unknown, p.disabled)).toBeGreaterThan(0.01);
  }
}

describe('what an answer tells about an e-mail (e2e, timing)', () => {
  it('"Forgot password?" answers stored, unknown and disabled addresses alike, without waiting for mail', async () => {
    await indistinguishable('reset', async () => {
      const email = nextBatch();
      const ids = new Map<string, string>();
      return measure(
        (kind, i) => post('reset', { sessionId: ids.get(`${kind}${i}`), email: email(kind, i) }),
        async (kind, i) => void ids.set(`${kind}${i}`, (await sessions.create()).sessionId),
      );
    });
    // Mail went to every stored address, and to no other.
    const stored = (mails: readonly { to: string }[]) => mails.filter((mail) => mail.to.startsWith('a.stored.')).length;
    await mailbox.until((mails) => stored(mails) >= SAMPLES, 60_000);
    expect(mailbox.mails.filter((mail) => !mail.to.startsWith('a.stored.'))).toEqual([]);
  }, 300_000);

  it('"Send a new code" answers alike too', async () => {
    await indistinguishable('resend', async () => {
      const email = nextBatch();
      const ids = new Map<string, string>();
      for (const kind of KINDS) {
        for (let i = 0; i < SAMPLES; i++) {
          const { sessionId } = await sessions.create();
          ids.set(`${kind}${i}`, sessionId);
          await sessions.startPasswordReset(sessionId, email(kind, i));
        }
      }
      // The cooldown between codes.
      await new Promise((resolve) => setTimeout(resolve, 30_500));
      return measure((kind, i) => post('resend', { sessionId: ids.get(`${kind}${i}`) }));
    });
  }, 300_000);

  it('a wrong password answers alike for every address', async () => {
    await indistinguishable('sign-in', async () => {
      const email = nextBatch();
      const ids = new Map<string, string>();
      return measure(
        (kind, i) => post('credentials', { sessionId: ids.get(`${kind}${i}`), email: email(kind, i), password: 'Not-The-Password-1' }),
        async (kind, i) => void ids.set(`${kind}${i}`, (await sessions.create()).sessionId),
      );
    });
  }, 300_000);

  it('counts the mail budget of an unknown address as of a stored one: the 6th reset in 15 minutes waits, alike', async () => {
    const sixth = async (email: string) => {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await post('reset', { sessionId: (await sessions.create()).sessionId, email }));
      return answers.map(({ status, body, headers }) => ({ status, body: JSON.parse(body) as object, headers }));
    };
    const stored = await sixth(BUDGET);
    const unknown = await sixth('a.never.stored@example.com');
    expect(stored.slice(0, 5).every((answer) => answer.status === 200)).toBe(true);
    expect(stored[5]).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(unknown).toEqual(stored);
  }, 60_000);
});
