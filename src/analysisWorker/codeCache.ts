import * as crypto from 'crypto';
import * as fs from 'fs';
import Module = require('module');
import * as path from 'path';
import * as vm from 'vm';

/**
 * Loads the TypeScript compiler (9 MB of JavaScript) into the analysis worker with a V8 code
 * cache: compiling it is most of a fresh worker's start-up, and so of the time from opening a
 * model file to its first lens. The first worker compiles it as usual and, once its first
 * analysis is done (the functions it ran are compiled by then), saves V8's cached data under
 * the extension's global storage; later workers hand that to V8 instead of compiling again.
 *
 * Validated twice: the file name carries the Node/V8 version, the architecture and a hash of
 * the compiler's source, and V8 itself rejects data that does not match the source or its own
 * flags (`cachedDataRejected`), in which case the script compiles normally and the cache is
 * rewritten. Any failure (no directory, unreadable or corrupt file, a different TypeScript)
 * falls back to plain `require`: the cache only ever saves time. The directory is the user's
 * own (global storage), not a shared temp folder: cached code is code.
 */

interface Loaded {
  script: vm.Script;
  cacheFile: string;
  /** The cache was used (nothing to save afterwards). */
  hit: boolean;
}

let loaded: Loaded | undefined;

/** When this worker's script began (its modules not loaded yet), and what the code cache did: for the log. */
export const startup = { at: performance.now(), codeCache: 'off' };

/**
 * Puts `typescript` into the module cache compiled with the code cache in `dir`, before anything
 * requires it. Returns what happened, for the log (`hit`, `miss`, `off` or the failure).
 */
export function preloadTypeScript(dir: string | undefined): string {
  startup.codeCache = preload(dir);
  return startup.codeCache;
}

function preload(dir: string | undefined): string {
  if (!dir) return 'off';
  try {
    const file = require.resolve('typescript');
    if (require.cache[file]) return 'already loaded';
    const source = fs.readFileSync(file, 'utf8');
    const key = crypto.createHash('sha256').update(`${process.version} ${process.versions.v8} ${process.arch}\0`).update(source).digest('hex').slice(0, 24);
    const cacheFile = path.join(dir, `typescript-${key}.v8cache`);
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
    wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
    mod.loaded = true;
    require.cache[file] = mod;
    loaded = { script, cacheFile, hit };
    return hit ? 'hit' : cachedData ? 'rejected' : 'miss';
  } catch (e) {
    loaded = undefined;
    return `failed (${(e as Error)?.message ?? e}); TypeScript loads without it`;
  }
}

/**
 * After the worker's first analysis: saves the code cache if this worker compiled TypeScript
 * itself (written to a temp name and renamed, so a reader never sees half a file).
 */
export function saveTypeScriptCache(): void {
  const l = loaded;
  loaded = undefined;
  if (!l || l.hit) return;
  try {
    fs.mkdirSync(path.dirname(l.cacheFile), { recursive: true, mode: 0o700 });
    const tmp = `${l.cacheFile}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, l.script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, l.cacheFile);
    // Caches for another TypeScript or Node are dead weight: one file is kept.
    for (const f of fs.readdirSync(path.dirname(l.cacheFile))) {
      if (/^typescript-.*\.v8cache$/.test(f) && f !== path.basename(l.cacheFile)) fs.rmSync(path.join(path.dirname(l.cacheFile), f), { force: true });
    }
  } catch {
    // A read-only or full disk: the next worker compiles TypeScript again, nothing else changes.
  }
}
