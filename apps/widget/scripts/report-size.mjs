// Prints the built files' sizes and gzip sizes, and fails the build above a file's gzip budget: 80 KB for the
// widget, which hosts load into every chat that signs in; 90 KB for this server's own pages (the hosted sign-in
// page, the account page), which carry passkeys (@simplewebauthn/browser) and, for the account page, its screens.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const KB = 1024;
const BUDGETS = { 'index.html': 80 * KB, 'hosted.html': 90 * KB, 'account.html': 90 * KB };
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
let over = false;
for (const [file, budget] of Object.entries(BUDGETS)) {
  const html = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  const gzip = gzipSync(html, { level: 9 }).length;
  console.log(`widget: dist/${file} ${kb(html.length)}, gzip ${kb(gzip)} (budget ${kb(budget)})`);
  if (gzip > budget) {
    console.error(`widget: dist/${file} is over its gzip budget`);
    over = true;
  }
}
if (over) process.exit(1);
