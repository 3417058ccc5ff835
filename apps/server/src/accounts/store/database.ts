/**
 * Opens the accounts database and brings its schema up to date: PostgreSQL
 * through `pg` when a URL is given, else PGlite (Postgres compiled to WASM)
 * in `dataDir/pglite`, which only one process may open at a time.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { schema } from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** `postgres` (a server) or `embedded` (PGlite in the data directory). */
  kind: 'postgres' | 'embedded';
  /** Answers when the database does (for readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle', import.meta.url));

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/** What an operator is told when the accounts database cannot be used, by the code of the failure (or its cause). */
const DATABASE_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'nothing answers at the address in DATABASE_URL',
  ENOTFOUND: 'the host in DATABASE_URL is not found',
  EAI_AGAIN: 'the host in DATABASE_URL cannot be looked up right now',
  ETIMEDOUT: 'the database at DATABASE_URL does not answer',
  '28P01': 'the password in DATABASE_URL is refused',
  '28000': 'the role in DATABASE_URL may not connect (it does not exist, or pg_hba.conf refuses it)',
  '3D000': 'the database named in DATABASE_URL does not exist',
  '42501': 'the role in DATABASE_URL may not create the tables (grant it CREATE on the database)',
};

/**
 * One plain line for a database that cannot be used (start-up and the accounts
 * CLI), or undefined when the failure is something else. Drizzle and pg wrap
 * the cause; the codes are looked for along the chain. Never repeats the URL.
 */
export function databaseProblem(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 10; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in DATABASE_PROBLEMS) return `Could not open the accounts database (${code}): ${DATABASE_PROBLEMS[code]}.`;
    // pg reports a refused connection to every address as an AggregateError without a code of its own.
    const inner = (current as { errors?: unknown }).errors;
    if (Array.isArray(inner)) {
      const found = inner.map(databaseProblem).find(Boolean);
      if (found) return found;
    }
  }
  return undefined;
}

/** Opens the database named by `databaseUrl`, or the embedded one in `dataDir`, and migrates it. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  const database = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openEmbedded(options.dataDir);
  try {
    await migrateDatabase(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS });
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS });
  }
}

async function openPostgres(url: string): Promise<Database> {
  const { Pool } = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return {
    db: drizzle(pool, { schema }) as unknown as Db,
    kind: 'postgres',
    ping: async () => void (await pool.query('select 1')),
    close: () => pool.end(),
  };
}

async function openEmbedded(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const release = lockDataDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const client = await PGlite.create(join(dataDir, 'pglite'));
    return {
      db: drizzle(client, { schema }) as unknown as Db,
      kind: 'embedded',
      ping: async () => void (await client.query('select 1')),
      close: async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Takes `dataDir/pglite.lock` for this process: PGlite's files must have one
 * writer. A lock left by a process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8'));
      if (isRunning(holder)) {
        throw new DataDirInUseError(
          `The embedded database in ${dataDir} is open in another process (pid ${holder}). ` +
            'Stop it first, or use DATABASE_URL for a database several processes can share.',
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock ${path}.`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
