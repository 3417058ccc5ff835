// Builds the widget into one self-contained HTML file (dist/index.html): every
// script and style inlined, no external request. The server serves this file.
import { defineConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

export default defineConfig({
  plugins: [viteSingleFile({ removeViteModuleLoader: true })],
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    target: 'es2022',
    outDir: 'dist',
    // dist/ also holds the hosted page (vite.hosted.config.ts); each build writes only its own file.
    emptyOutDir: false,
    reportCompressedSize: false,
    modulePreload: false,
  },
});
