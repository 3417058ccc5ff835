/**
 * Databases for tests: a fresh PGlite in a temp directory, and a fresh
 * PostgreSQL database on the project's server (TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test), created and dropped per suite.
 * Without a reachable PostgreSQL the PostgreSQL half is skipped with a printed
 * reason, except under CI=true, where it must run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** Settings that point the app (or the CLI) at this database. */
  env: Record<string, string>;
  dataDir: string;
  databaseUrl?: string;
  drop(): Promise<void>;
}

export function embeddedTestDatabase(): TestDatabase {
  const dataDir = mkdtempSync(join(tmpdir(), 'target-auth-'));
  return { env: { DATA_DIR: dataDir }, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Whether PostgreSQL answers; under CI=true a missing server is an error, not a skip. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env['CI'] === 'true') throw new Error(`PostgreSQL is required under CI=true: ${TEST_DATABASE_URL} (${(error as Error).message})`, { cause: error });
    console.warn(`Skipping the PostgreSQL half: no server at ${TEST_DATABASE_URL} (${(error as Error).message}). Set TEST_DATABASE_URL to run it.`);
    return false;
  }
}

export async function postgresTestDatabase(): Promise<TestDatabase> {
  const name = `target_auth_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'target-auth-pg-'));
  const databaseUrl = url.toString();
  return {
    env: { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SECRET_KEY: randomBytes(32).toString('base64') },
    dataDir,
    databaseUrl,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
