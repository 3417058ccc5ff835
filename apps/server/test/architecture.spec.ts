/**
 * The server's layering, read from its own imports (TypeScript's import
 * scanner, dynamic imports included): no import circle among product files,
 * and every import between folders goes down the layers below. A new folder
 * must be placed in a layer before it may be imported. Specs, contract suites
 * and src/testing are not product files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** From the foundation up: a folder (or top-level file) may import only from layers below its own, or from itself. */
export const LAYERS: readonly (readonly string[])[] = [
  ['common', 'config', 'app-logger.ts'],
  ['http', 'logging', 'metrics', 'redis', 'widget', 'next-steps.ts'],
  ['accounts'],
  ['session', 'cli'],
  ['upstream', 'passkeys'],
  ['oauth', 'api', 'health'],
  ['tools', 'account'],
  ['mcp'],
  ['home'],
  ['app.module.ts'],
  ['app.ts'],
  ['main.ts'],
];

/** file → the files it imports (paths relative to src, `.ts`). */
type Graph = ReadonlyMap<string, readonly string[]>;

function productFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : productFiles(path);
    return /\.ts$/.test(name) && !/\.(spec|contract)\.ts$/.test(name) ? [relative(SRC, path)] : [];
  });
}

function importGraph(): Graph {
  const graph = new Map<string, string[]>();
  for (const file of productFiles()) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
    const local = importedFiles.map((found) => found.fileName).filter((name) => name.startsWith('.'));
    graph.set(file, local.map((name) => normalize(join(dirname(file), name)).replace(/\.js$/, '.ts')));
  }
  return graph;
}

const placeOf = (file: string): string => file.split('/')[0]!;

/** "from → to" for every import between places that does not go down the layers (or names a place in none). */
export function upwardImports(graph: Graph, layers = LAYERS): string[] {
  const rank = new Map(layers.flatMap((places, i) => places.map((place) => [place, i] as const)));
  const found: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const from = placeOf(file);
      const to = placeOf(target);
      if (from === to) continue;
      const [a, b] = [rank.get(from), rank.get(to)];
      if (a === undefined || b === undefined || b >= a) found.push(`${file} → ${target}`);
    }
  }
  return found;
}

/** Each import circle (Tarjan's strongly connected components of more than one file, or a file importing itself). */
export function circles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the server as its imports draw it', () => {
  const graph = importGraph();

  it('reads the real tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('mcp/streamable-http.service.ts')).toContain('oauth/bearer-auth.ts');
  });

  it('has no import circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('imports only down the layers, from places that have one', () => {
    expect(upwardImports(graph)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const planted = new Map([
    ['mcp/server.ts', ['oauth/bearer.ts', 'mcp/batch.ts']],
    ['oauth/bearer.ts', ['oauth/server.ts', 'common/clock.ts']],
    ['oauth/server.ts', ['mcp/server.ts']],
    ['mcp/batch.ts', []],
    ['common/clock.ts', ['common/clock.ts']],
    ['accounts/limits.ts', ['session/store.ts', 'brand-new/x.ts']],
    ['session/store.ts', []],
  ]);

  it('find a planted circle, and a file that imports itself', () => {
    expect(circles(planted)).toEqual([['common/clock.ts'], ['mcp/server.ts', 'oauth/bearer.ts', 'oauth/server.ts']]);
  });

  it('find planted upward imports and an import of a place in no layer', () => {
    expect(upwardImports(planted)).toEqual(['oauth/server.ts → mcp/server.ts', 'accounts/limits.ts → session/store.ts', 'accounts/limits.ts → brand-new/x.ts']);
  });
});
