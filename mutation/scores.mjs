// Mutation scores per folder from the committed incremental results, without running Stryker:
//   node mutation/scores.mjs apps/server/reports/mutation/stryker-incremental.json [folder prefix ...]
// Score = (killed + timed out) / (killed + timed out + survived + no coverage), as Stryker counts it
// (runtime and compile errors are not mutants a test could kill).
import { readFileSync } from 'node:fs';

const [file, ...prefixes] = process.argv.slice(2);
if (!file) {
  console.error('usage: node mutation/scores.mjs <incremental.json> [folder prefix ...]');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const KILLED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
const rows = new Map();
const add = (key, status) => {
  const row = rows.get(key) ?? { mutants: 0, killed: 0, survived: 0, noCoverage: 0 };
  if (!COUNTED.has(status)) return rows.set(key, row);
  row.mutants++;
  if (KILLED.has(status)) row.killed++;
  else if (status === 'Survived') row.survived++;
  else row.noCoverage++;
  rows.set(key, row);
};
for (const [path, entry] of Object.entries(report.files)) {
  if (prefixes.length > 0 && !prefixes.some((prefix) => path.startsWith(prefix))) continue;
  const folder = path.split('/').slice(0, -1).join('/');
  for (const mutant of entry.mutants) {
    add(folder, mutant.status);
    add('all of the above', mutant.status);
  }
}
const score = (row) => (row.mutants === 0 ? '—' : `${((100 * row.killed) / row.mutants).toFixed(1)} %`);
console.log('| folder | mutants | killed + timed out | survived | no coverage | score |\n| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [folder, row] of [...rows].sort(([a], [b]) => (a === 'all of the above' ? 1 : b === 'all of the above' ? -1 : a.localeCompare(b)))) {
  console.log(`| ${folder} | ${row.mutants} | ${row.killed} | ${row.survived} | ${row.noCoverage} | ${score(row)} |`);
}
