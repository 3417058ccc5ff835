// Prints the built widget's size and gzip size; fails the build above the 80 KB gzip budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 80 * 1024;
const html = readFileSync(new URL('../dist/index.html', import.meta.url));
const gzip = gzipSync(html, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`widget: dist/index.html ${kb(html.length)}, gzip ${kb(gzip)} (budget ${kb(BUDGET)})`);
if (gzip > BUDGET) {
  console.error('widget: over the gzip budget');
  process.exit(1);
}
