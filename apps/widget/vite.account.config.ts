// Builds the account page (/account) into one self-contained file,
// dist/account.html, beside the widget and the hosted page.
import { defineConfig, mergeConfig } from 'vite';
import widget from './vite.config.ts';

export default mergeConfig(
  widget,
  defineConfig({
    build: { rollupOptions: { input: 'account.html' } },
  }),
);
