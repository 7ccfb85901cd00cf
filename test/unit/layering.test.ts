import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import ts = require('typescript');

/**
 * The core's layers point one way (docs/architecture.md):
 *
 *   src/core/analyze.ts (the entry: picks a front end by language)
 *     → src/core/lang/ts, src/core/lang/python (front ends: each language's syntax and evaluation)
 *       → src/core/framework (PyTorch and TensorFlow.js semantics, written once for both)
 *         → src/core/catalog, format, graph, escape and the shared basics (shape.ts, args.ts, …)
 *
 * Read from the source's own import graph (TypeScript's import scanner over every file of
 * src/core), so a new import that breaks a rule fails here, named.
 */

const ROOT = path.resolve(__dirname, '../../..');
const CORE = path.join(ROOT, 'src/core');

/**
 * Imports that break a rule and are known: `file (from src/core) → specifier` mapped to why it is
 * still there. Empty since the layers were untangled; a new violation fails the test, and so does
 * an entry here that is no longer needed (delete it then).
 */
const KNOWN_EXCEPTIONS: ReadonlyMap<string, string> = new Map<string, string>([]);

interface Import {
  /** The importing file, relative to src/core. */
  from: string;
  specifier: string;
  /** The imported file relative to src/core, for a relative import that stays inside it. */
  target?: string;
}

function coreFiles(dir = CORE): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...coreFiles(p));
    else if (e.isFile() && /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

/** `a/b` as a file of src/core (`a/b.ts` or `a/b/index.ts`), or undefined outside it. */
function resolve(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const p of [base + '.ts', path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(p) && fs.statSync(p).isFile()) {
      const rel = path.relative(CORE, p);
      return rel.startsWith('..') ? undefined : rel.split(path.sep).join('/');
    }
  }
  return undefined;
}

/** Every import, `import x = require()`, `export … from` and `require()` of each file. */
function importGraph(): Import[] {
  const out: Import[] = [];
  for (const file of coreFiles()) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), /* readImportFiles */ true, /* detectJavaScriptImports: require() */ true);
    const from = path.relative(CORE, file).split(path.sep).join('/');
    for (const ref of info.importedFiles) out.push({ from, specifier: ref.fileName, target: resolve(file, ref.fileName) });
  }
  return out;
}

const isLang = (p: string | undefined, lang?: 'ts' | 'python'): boolean => p !== undefined && p.startsWith(lang ? `lang/${lang}/` : 'lang/');
const key = (i: Import): string => `${i.from} → ${i.specifier}`;

describe('layering of src/core (one-way imports)', () => {
  const graph = importGraph();

  it('reads the import graph (not vacuously)', () => {
    assert.ok(new Set(graph.map((i) => i.from)).size > 100, 'src/core has more than 100 files with imports');
    // Known edges: the entry reaches both front ends, the front ends the framework.
    for (const [from, target] of [
      ['analyze.ts', 'lang/ts/analyzeFile.ts'],
      ['lang/ts/analyzeFile.ts', 'lang/ts/interp.ts'],
      ['analyze.ts', 'lang/python/models.ts'],
      ['lang/ts/calls.ts', 'framework/tensorOps.ts'],
      ['lang/python/torch.ts', 'framework/tensorOps.ts'],
      ['framework/recorder.ts', 'catalog/index.ts'],
    ]) {
      assert.ok(graph.some((i) => i.from === from && i.target === target), `${from} imports ${target}`);
    }
  });

  it('nothing in src/core imports vscode', () => {
    const bad = graph.filter((i) => i.specifier === 'vscode' || i.specifier.startsWith('vscode/'));
    assert.deepStrictEqual(bad.map(key), []);
  });

  /** Everything below the front ends: the framework, catalog, format, graph, escape and the shared basics. */
  const belowFrontEnds = (from: string): boolean => !isLang(from) && from !== 'analyze.ts';

  it('the framework, catalog, format, graph and shared files import no front end and not typescript', () => {
    const bad = graph.filter((i) => belowFrontEnds(i.from) && (isLang(i.target) || i.specifier === 'typescript' || i.specifier.startsWith('typescript/')));
    assert.deepStrictEqual(bad.map(key).filter((k) => !KNOWN_EXCEPTIONS.has(k)), [], 'new imports against the layering (see docs/architecture.md)');
  });

  it('the two front ends do not import each other', () => {
    const bad = graph.filter((i) => (isLang(i.from, 'python') && isLang(i.target, 'ts')) || (isLang(i.from, 'ts') && isLang(i.target, 'python')));
    assert.deepStrictEqual(bad.map(key).filter((k) => !KNOWN_EXCEPTIONS.has(k)), []);
  });

  it('every known exception is still needed (remove it once untangled)', () => {
    const seen = new Set(graph.map(key));
    const stale = [...KNOWN_EXCEPTIONS.keys()].filter((k) => !seen.has(k));
    assert.deepStrictEqual(stale, []);
  });

  it('the layers are where docs/architecture.md says', () => {
    for (const dir of ['lang/ts', 'lang/python', 'framework', 'catalog', 'format', 'graph']) {
      assert.ok(fs.statSync(path.join(CORE, dir)).isDirectory(), `src/core/${dir}`);
    }
    const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    for (const p of ['src/core/lang/ts', 'src/core/lang/python', 'src/core/framework', 'src/core/catalog']) assert.ok(doc.includes(p), `docs/architecture.md names ${p}`);
  });
});
