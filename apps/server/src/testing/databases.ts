/**
 * Databases for tests: a fresh PGlite in a temp directory, and a fresh
 * PostgreSQL database on the project's server (TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test), created and dropped per suite.
 * Without a reachable PostgreSQL the PostgreSQL half is skipped with a printed
 * reason, except under CI=true, where it must run (services.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serviceAvailable } from './services.js';

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

/** Whether PostgreSQL answers (see services.ts for the skip rule). */
export function postgresAvailable(): Promise<boolean> {
  return serviceAvailable({
    name: 'PostgreSQL',
    url: TEST_DATABASE_URL,
    setting: 'TEST_DATABASE_URL',
    probe: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
      await client.connect();
      await client.end();
    },
  });
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
