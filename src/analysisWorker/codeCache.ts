import * as crypto from 'crypto';
import * as fs from 'fs';
import Module = require('module');
import * as path from 'path';
import * as vm from 'vm';

/**
 * Loads the analysis worker's big modules with a V8 code cache: the TypeScript compiler (9 MB of
 * JavaScript) and the analyzer's own bundle (dist/analysisCore.js). Compiling them is most of a
 * fresh worker's start-up, and so of the time from opening a model file to its first lens. The
 * first worker compiles them as usual and, once its first analysis is done (the functions it ran
 * are compiled by then), saves V8's cached data under the extension's global storage; later
 * workers hand that to V8 instead of compiling again.
 *
 * Validated twice: the file name carries the Node/V8 version, the architecture and a hash of
 * the module's source, and V8 itself rejects data that does not match the source or its own
 * flags (`cachedDataRejected`), in which case the script compiles normally and the cache is
 * rewritten. Any failure (no directory, unreadable or corrupt file, a different TypeScript)
 * falls back to plain `require`: the cache only ever saves time. The directory is the user's
 * own (global storage), not a shared temp folder: cached code is code.
 */

interface Compiled {
  script: vm.Script;
  cacheFile: string;
  /** What the cache files of this module are called: `<name>-<key>.v8cache`. */
  name: string;
  /** The cache was used (nothing to save afterwards). */
  hit: boolean;
}

/** Modules this worker compiled through a cache, to save after its first analysis. */
const compiled: Compiled[] = [];

/**
 * When this worker's script began (its modules not loaded yet) and when it could start loading
 * them (a worker started early waits for `dir`, main.ts), where the code caches are, and what
 * they did: for the log.
 */
export const startup: { at: number; loadFrom: number; dir?: string; codeCache: string; analyzerCache: string } = { at: performance.now(), loadFrom: performance.now(), codeCache: 'not loaded', analyzerCache: 'off' };

/**
 * Puts `typescript` into the module cache compiled with the code cache in `dir`, before anything
 * requires it. Returns what happened, for the log (`hit`, `miss`, `off` or the failure).
 */
export function preloadTypeScript(dir: string | undefined): string {
  let file: string;
  try {
    file = require.resolve('typescript');
  } catch (e) {
    return (startup.codeCache = `failed (${(e as Error)?.message ?? e}); TypeScript loads without it`);
  }
  startup.codeCache = require.cache[file] ? 'already loaded' : load(file, dir, 'typescript').report;
  return startup.codeCache;
}

/**
 * `require(file)` of a CommonJS file, compiled with the code cache in `dir` (none: plain
 * `require`). The module goes into the module cache as `require` would put it.
 */
export function requireCached(file: string, dir: string | undefined, name: string): { exports: unknown; report: string } {
  const known = require.cache[file];
  if (known) return { exports: known.exports, report: 'already loaded' };
  const { report } = load(file, dir, name);
  // Loaded with the cache, or (off, failed) by plain require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { exports: require.cache[file]?.exports ?? require(file), report };
}

/** Sources read and keyed ahead of their compilation (`prepare`), by path. */
const prepared = new Map<string, { source: string; key: string }>();

function readAndKey(file: string): { source: string; key: string } {
  const bytes = fs.readFileSync(file);
  // The bytes are hashed, not the decoded text: the same key, at a fifth of the cost (9 MB: 6 ms against 38).
  const key = crypto.createHash('sha256').update(`${process.version} ${process.versions.v8} ${process.arch}\0`).update(bytes).digest('hex').slice(0, 24);
  return { source: bytes.toString('utf8'), key };
}

/**
 * Reads and keys `files` now, before the cache's directory is known (a worker started ahead of
 * activate(), main.ts): what is left for later is V8's part. A file that can't be read is left
 * for `load` to fail on as usual.
 */
export function prepare(files: string[]): void {
  for (const f of files) {
    try {
      prepared.set(f, readAndKey(f));
    } catch {
      // load() reads it again and reports the failure.
    }
  }
}

/** Sources read ahead and not compiled by now (TypeScript, in a worker whose first file was Python): 9 MB not to keep. */
export function dropPrepared(): void {
  prepared.clear();
}

function load(file: string, dir: string | undefined, name: string): { report: string } {
  if (!dir) {
    prepared.delete(file);
    return { report: 'off' };
  }
  try {
    const { source, key } = prepared.get(file) ?? readAndKey(file);
    prepared.delete(file);
    const cacheFile = path.join(dir, `${name}-${key}.v8cache`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined; // the first worker: compiled normally, saved after its first analysis
    }
    const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
    const hit = cachedData !== undefined && !script.cachedDataRejected;
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
    // In the module cache before it runs, as `require` does (a cycle back to it gets this module).
    require.cache[file] = mod;
    try {
      wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
    } catch (e) {
      delete require.cache[file];
      throw e;
    }
    mod.loaded = true;
    compiled.push({ script, cacheFile, name, hit });
    return { report: hit ? 'hit' : cachedData ? 'rejected' : 'miss' };
  } catch (e) {
    return { report: `failed (${(e as Error)?.message ?? e}); ${name} loads without it` };
  }
}

/**
 * After the worker's first analysis: saves the code cache of every module this worker compiled
 * itself (written to a temp name and renamed, so a reader never sees half a file).
 */
export function saveCodeCaches(): void {
  for (const c of compiled.splice(0)) {
    if (c.hit) continue;
    try {
      fs.mkdirSync(path.dirname(c.cacheFile), { recursive: true, mode: 0o700 });
      const tmp = `${c.cacheFile}.${process.pid}.${Date.now()}.tmp`;
      fs.writeFileSync(tmp, c.script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, c.cacheFile);
      // Caches of this module for another version of it or of Node are dead weight: one file is kept.
      const stale = new RegExp(`^${c.name}-[0-9a-f]+\\.v8cache$`);
      for (const f of fs.readdirSync(path.dirname(c.cacheFile))) {
        if (stale.test(f) && f !== path.basename(c.cacheFile)) fs.rmSync(path.join(path.dirname(c.cacheFile), f), { force: true });
      }
    } catch {
      // A read-only or full disk: the next worker compiles it again, nothing else changes.
    }
  }
}
