/**
 * The tables the code queries and the migrations that build them must agree: a column, index or
 * constraint changed in schema.ts without `pnpm db:generate` would pass every query test on a
 * database built from the old migrations and break on the next one built from the new schema.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { ACCOUNT_STATUSES, schema } from './schema.js';

const meta = new URL('../../../drizzle/meta/', import.meta.url);

function lastSnapshot() {
  const journal = JSON.parse(readFileSync(new URL('_journal.json', meta), 'utf8')) as { entries: { idx: number }[] };
  const last = journal.entries.at(-1)!.idx;
  return JSON.parse(readFileSync(new URL(`${String(last).padStart(4, '0')}_snapshot.json`, meta), 'utf8'));
}

describe('the accounts schema', () => {
  it('is what the committed migrations build: generating a migration from it finds nothing to change', async () => {
    const migrated = lastSnapshot();
    const statements = await generateMigration(migrated, generateDrizzleJson(schema, migrated.id));
    expect(statements).toEqual([]);
  });

  it('knows the two account statuses the database allows', () => {
    expect(ACCOUNT_STATUSES).toEqual(['active', 'disabled']);
  });
});
