// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import * as path from 'path';
import type { AnalyzerHost } from '../../analyzerHost';

/**
 * Only real models are models. `class Foo extends Module` and `sequential()` are everywhere in
 * code that has nothing to do with neural networks (module systems, UI frameworks, parsers), so a
 * file gets models, lenses and diagnostics only with evidence that a neural-network library is in
 * use in it:
 * - an import, re-export, `require`, dynamic `import()`, `import x = require()`, `declare module`
 *   or `/// <reference types>` naming a TensorFlow.js or PyTorch-shaped package (ML_PACKAGES),
 *   type-only imports included;
 * - or an import of a workspace module (a relative path; `.d.ts` shims included; read through the
 *   analyzer's host, so only inside the workspace) that has such evidence itself, a few files deep;
 * - or the globals the libraries' script-tag builds define (`tf`, `torch`), used without a
 *   declaration of that name in the file.
 * The specifiers come from TypeScript's import scanner (`preProcessFile`), not a parse: a file with
 * no evidence costs one scan, which keeps a non-ML codebase (node_modules) cheap.
 */

/** npm packages that are a neural-network library with the TensorFlow.js or PyTorch-shaped API. */
const ML_PACKAGES = /^(@tensorflow\/[^/]+|@tensorflow-models\/[^/]+|js-pytorch|torch|torch-js|torchjs|pytorchjs|tfjs|tfjs-node|tfjs-node-gpu)(\/|$)/;

/** Globals defined by the libraries' script-tag builds (tfjs: `tf`; js-pytorch: `torch`), used as `tf.…`. */
const SCRIPT_GLOBAL_USE = /(?:^|[^\w$.])(tf|torch)\s*\??\.\s*[A-Za-z_$]/;

/** How far workspace imports are followed looking for evidence: depth, files read, paths tried. */
const MAX_DEPTH = 4;
const MAX_FILES = 24;
const MAX_TRIES = 240;

/** The files a relative specifier may name, in the interpreter's order, then declaration shims. */
const SUFFIXES = ['', '.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '/index.ts', '/index.d.ts', '/index.js'];

export function isMlPackage(spec: string): boolean {
  return ML_PACKAGES.test(spec);
}

/** Every module specifier the text names: imports (type-only too), re-exports, requires, `import()`, ambient modules, type references. */
export function moduleSpecifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return [...info.importedFiles.map((f) => f.fileName), ...(info.ambientExternalModules ?? []), ...info.typeReferenceDirectives.map((r) => r.fileName)];
}

/**
 * `tf.…` or `torch.…` with no declaration of that name anywhere in the file (a cheap textual
 * check: any `const tf`, `import tf`, `function torch`, parameter or property named so counts as a
 * declaration, so only a true global is evidence).
 */
export function usesScriptGlobal(text: string): boolean {
  const m = SCRIPT_GLOBAL_USE.exec(text);
  if (!m) return false;
  for (const g of ['tf', 'torch']) {
    if (!new RegExp(`(?:^|[^\\w$.])${g}\\s*\\??\\.\\s*[A-Za-z_$]`).test(text)) continue;
    const declared = new RegExp(`\\b(?:const|let|var|function|class|import|as)\\s+(?:\\*\\s+as\\s+)?${g}\\b|[({,]\\s*${g}\\s*[,)}:=]`).test(text);
    if (!declared) return true;
  }
  return false;
}

/** Whether the file, or a workspace module it imports, uses a neural-network library. */
export function hasMlEvidence(host: AnalyzerHost, file: string, text: string): boolean {
  const direct = moduleSpecifiers(text);
  if (direct.some(isMlPackage) || usesScriptGlobal(text)) return true;
  if (unreadableLibraryShim(host, file, text)) return true;
  const seen = new Set<string>([file]);
  let found = 0;
  let frontier: { file: string; specs: string[] }[] = [{ file, specs: direct }];
  // Breadth first: the nearest evidence is found with the fewest reads.
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: { file: string; specs: string[] }[] = [];
    for (const f of frontier) {
      for (const spec of f.specs) {
        if (!spec.startsWith('.')) continue;
        const base = path.resolve(path.dirname(f.file), spec.replace(/\.(js|mjs|cjs|ts)$/, ''));
        for (const suffix of SUFFIXES) {
          const target = base + suffix;
          if (seen.has(target)) continue;
          if (seen.size > MAX_TRIES || found >= MAX_FILES) return false;
          seen.add(target);
          const other = read(host, target);
          if (other === undefined) continue;
          found++;
          const specs = moduleSpecifiers(other);
          if (specs.some(isMlPackage)) return true;
          next.push({ file: target, specs });
        }
      }
    }
    frontier = next;
  }
  return false;
}

/**
 * `import { nn } from './torch-shim'` (or `* as tf`) where the shim cannot be read (missing,
 * outside the workspace, too large): the names say what it provides, so the file is a model file
 * whose layers are recognised by kind, with totals `?` (see UnreadableImport), not nothing at all.
 */
function unreadableLibraryShim(host: AnalyzerHost, file: string, text: string): boolean {
  SHIM_IMPORT.lastIndex = 0;
  let m: RegExpExecArray | null;
  for (let k = 0; k < 8 && (m = SHIM_IMPORT.exec(text)); k++) {
    const base = path.resolve(path.dirname(file), m[1].replace(/\.(js|mjs|cjs|ts)$/, ''));
    if (!SUFFIXES.some((suffix) => read(host, base + suffix) !== undefined)) return true;
  }
  return false;
}

const SHIM_IMPORT = /import\s*(?:\*\s*as\s*(?:nn|torch|tf)|\{[^}]*\b(?:nn|torch|tf|layers)\b[^}]*\})\s*from\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function read(host: AnalyzerHost, file: string): string | undefined {
  try {
    return host.readFile(file);
  } catch {
    return undefined;
  }
}
