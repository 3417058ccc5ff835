// Standalone development: `pnpm --filter @target-auth/widget dev` serves dev/index.html,
// at http://localhost:5173/dev/: the widget under a mocked window.openai with a panel for
// theme, scenario and backend.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  server: { port: 5173, strictPort: true, host: 'localhost', open: false },
});
