/** /readyz names the part that stopped answering: here the accounts database (real mode on PostgreSQL). */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import pg from 'pg';
import { postgresAvailable, postgresTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../src/testing/databases.js';
import { raw, type Running, startServer } from './helpers.js';
import { itWhen } from '../src/testing/services.js';

const havePostgres = await postgresAvailable();
const maybe = itWhen(havePostgres);

describe('readiness in real mode (e2e)', () => {
  let database: TestDatabase;
  let server: Running;

  beforeAll(async () => {
    if (!havePostgres) return;
    database = await postgresTestDatabase();
    server = await startServer({ ...database.env, DEMO_MODE: 'false' });
  }, 60_000);
  afterAll(async () => {
    if (!havePostgres) return;
    await server.close();
    await database.drop();
  });

  maybe('is ready while PostgreSQL answers, and 503 naming the database when it stops', async () => {
    const ready = await raw(server.baseUrl, { method: 'GET', path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: { store: 'ok', database: 'ok' }, backends: { store: 'memory', database: 'postgres' } });
    // Take the database away under the running server.
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database ${new URL(database.databaseUrl!).pathname.slice(1)} with (force)`);
    await admin.end();
    const down = await raw(server.baseUrl, { method: 'GET', path: '/readyz' });
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(JSON.parse(down.body)).toEqual({ status: 'unavailable', checks: { store: 'ok', database: 'failed' }, backends: { store: 'memory', database: 'postgres' } });
    expect((await raw(server.baseUrl, { method: 'GET', path: '/healthz' })).status).toBe(200);
  });
});
