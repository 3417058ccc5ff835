// Prints the built widget's, hosted page's and account page's sizes and gzip sizes; fails the build above the 80 KB gzip budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 80 * 1024;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let over = false;
for (const file of ['index.html', 'hosted.html', 'account.html']) {
  const html = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  const gzip = gzipSync(html, { level: 9 }).length;
  console.log(`widget: dist/${file} ${kb(html.length)}, gzip ${kb(gzip)} (budget ${kb(BUDGET)})`);
  if (gzip > BUDGET) {
    console.error(`widget: dist/${file} is over the gzip budget`);
    over = true;
  }
}
if (over) process.exit(1);
