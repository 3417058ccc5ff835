// Builds the hosted sign-in page (account linking) into one self-contained
// file, dist/hosted.html, beside the widget (vite.config.ts builds that one;
// singlefile inlining takes one entry per build).
import { defineConfig, mergeConfig } from 'vite';
import widget from './vite.config.ts';

export default mergeConfig(
  widget,
  defineConfig({
    build: { rollupOptions: { input: 'hosted.html' } },
  }),
);
