// Bundles the two test host pages (hosts/*.html) for the browser; Playwright serves dist/.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'hosts',
  base: './',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { 'mcp-apps-host': 'hosts/mcp-apps-host.html', 'chatgpt-host': 'hosts/chatgpt-host.html' } },
  },
});
