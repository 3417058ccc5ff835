// Standalone development: `pnpm --filter @target-auth/widget dev` serves dev/index.html,
// at http://localhost:5173/dev/: the widget under a mocked window.openai with a panel for
// theme, scenario and backend.
import { defineConfig, type Plugin } from 'vite';

/** `/` opens the harness, keeping the query (`/?server=…` → `/dev/?server=…`). */
const openHarness: Plugin = {
  name: 'open-harness',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const [path, query] = (req.url ?? '').split('?');
      if (path !== '/') return next();
      res.statusCode = 302;
      res.setHeader('Location', `/dev/${query ? `?${query}` : ''}`);
      res.end();
    });
  },
};

export default defineConfig({
  plugins: [openHarness],
  oxc: { jsx: { runtime: 'automatic' } },
  server: { port: 5173, strictPort: true, host: 'localhost', open: false },
});
