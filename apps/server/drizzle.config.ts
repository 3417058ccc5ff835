import { defineConfig } from 'drizzle-kit';

/** `pnpm db:generate` writes a new migration when src/accounts/store/schema.ts changes. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/accounts/store/schema.ts',
  out: './drizzle',
});
