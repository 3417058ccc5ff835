// Spec-file selection for Stryker's Jest runs. Stryker picks the tests that cover a mutant by name, but Jest
// still loads every related spec file, and a "static" mutant (code run at import or in a beforeAll, such as
// an app booting) runs every test. During the dry run this environment records which spec files reached
// which mutants, and how long each took; during a mutant run the sequencer keeps only the files that reached
// the active mutant, quickest first, and once a test has failed (the mutant is killed) the environment skips
// the rest of that run (Jest's `bail` cannot be set through Stryker). A file that never ran a mutated line
// cannot kill it, so the verdicts are the same, minus the wasted runs; a killed mutant lists the first test
// that failed rather than all of them.
'use strict';
const { appendFileSync, readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
/** Mutants a test has already killed in this process (Jest runs in band inside Stryker's test runner). */
const killed = (globalThis[Symbol.for('mutation.killed')] ??= new Set());
const indexFile = () => process.env.MUTATION_SPEC_INDEX;
/** The package's own Jest packages (the sandbox's node_modules), not this file's neighbours. */
const packageRequire = () => createRequire(join(process.cwd(), 'package.json'));

/** Hit counts per mutant id in Stryker's coverage, static and per test summed. */
function hits(coverage) {
  const counts = new Map();
  const add = (table) => {
    for (const [id, n] of Object.entries(table ?? {})) counts.set(id, (counts.get(id) ?? 0) + n);
  };
  add(coverage?.static);
  for (const table of Object.values(coverage?.perTest ?? {})) add(table);
  return counts;
}

function skipAll(block) {
  block.mode = 'skip';
  for (const child of block.children ?? []) skipAll(child);
}

/**
 * Wraps a Jest environment class: records the mutants each spec file reached (dry run), skips a mutant
 * run's remaining tests once one has failed.
 */
function withSpecIndex(Environment) {
  return class SpecIndexEnvironment extends Environment {
    #testPath;
    #before = new Map();
    #started = 0;

    constructor(config, context) {
      super(config, context);
      this.#testPath = context.testPath;
    }

    #coverage() {
      return this.global[this.global.__strykerGlobalNamespace__ ?? '__stryker__']?.mutantCoverage;
    }

    async setup() {
      await super.setup();
      this.#before = hits(this.#coverage());
      this.#started = performance.now();
    }

    async handleTestEvent(event, state) {
      await super.handleTestEvent?.(event, state);
      const active = process.env[ACTIVE_MUTANT];
      if (active === undefined) return;
      if (event.name === 'run_start' && killed.has(active)) skipAll(state.rootDescribeBlock);
      // Circus decides to skip a test after announcing its start, so this also stops the rest of this file.
      if (event.name === 'test_start' && killed.has(active)) event.test.mode = 'skip';
      // Only a failed test kills: a failed beforeAll fails its tests next (and they must not be skipped first),
      // while a failed afterAll fails no test at all.
      if (event.name === 'test_done' && event.test.errors.length > 0) killed.add(active);
    }

    async teardown() {
      const file = indexFile();
      if (file && process.env[ACTIVE_MUTANT] === undefined) {
        const reached = [...hits(this.#coverage())].filter(([id, n]) => n > (this.#before.get(id) ?? 0)).map(([id]) => id);
        const ms = Math.round(performance.now() - this.#started);
        appendFileSync(file, `${JSON.stringify({ spec: this.#testPath, ms, mutants: reached })}\n`);
      }
      await super.teardown();
    }
  };
}

let index;
/** The dry run's record: spec files by mutant id, and each file's duration; undefined before it exists. */
function dryRunIndex() {
  if (index) return index;
  let lines;
  try {
    lines = readFileSync(indexFile(), 'utf8').split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
  index = { specs: new Map(), ms: new Map() };
  for (const { spec, ms, mutants } of lines.map((line) => JSON.parse(line))) {
    index.ms.set(spec, ms);
    for (const id of mutants) index.specs.set(id, (index.specs.get(id) ?? new Set()).add(spec));
  }
  return index;
}

/** Wraps Jest's sequencer: in a mutant run, only the spec files that reached the active mutant, quickest first. */
function withSpecFilter(Sequencer) {
  return class SpecFilterSequencer extends Sequencer {
    async sort(tests) {
      const sorted = await super.sort(tests);
      const active = process.env[ACTIVE_MUTANT];
      const known = indexFile() && active !== undefined ? dryRunIndex() : undefined;
      const specs = known?.specs.get(active);
      if (!specs) return sorted;
      const kept = sorted.filter((test) => specs.has(test.path));
      kept.sort((a, b) => (known.ms.get(a.path) ?? 0) - (known.ms.get(b.path) ?? 0));
      return kept.length > 0 ? kept : sorted;
    }
  };
}

module.exports = { withSpecIndex, withSpecFilter, packageRequire };
