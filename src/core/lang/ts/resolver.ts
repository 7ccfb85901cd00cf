// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import * as path from 'path';
import { isMlPackage } from './evidence';

/**
 * Which workspace file an import names, decided by TypeScript's own resolver
 * (`ts.resolveModuleName`) with the workspace's `tsconfig.json`/`jsconfig.json` (`paths`,
 * `baseUrl`, `./x.js` meaning `./x.ts`, index files, `.ts` before `.js`). Every probe goes through
 * `readText`, the analyzer host under the file-access rules: only regular files inside the
 * workspace, below the size limit, counted against the file's budget. A declaration file
 * (`.d.ts`) has no values: its `.js` sibling is the module when there is one.
 */
export interface ResolvedImport {
  /** The workspace file (undefined: none could be read). */
  file?: string;
  /** Why a file it names exists but was kept out (outside the workspace, too large, a device…). */
  refused?: string;
  /** The specifier names a library (a package), not a workspace file. */
  library?: boolean;
}

export interface ResolverIo {
  readText(file: string): string | undefined;
  whyUnreadable(file: string): string | undefined;
}

/** How far up from a file a tsconfig/jsconfig is looked for. */
const MAX_CONFIG_DEPTH = 12;
/** How many `extends` a config may chain through. */
const MAX_EXTENDS = 4;

export class ModuleResolver {
  /** Compiler options by folder (the nearest config's, resolved once per folder). */
  private readonly optionsByDir = new Map<string, ts.CompilerOptions>();
  private readonly cache = new Map<string, ResolvedImport>();

  constructor(private readonly io: ResolverIo) {}

  resolve(from: string, spec: string): ResolvedImport {
    const key = path.dirname(from) + '\0' + spec;
    const known = this.cache.get(key);
    if (known) return known;
    const r = this.resolveUncached(from, spec);
    this.cache.set(key, r);
    return r;
  }

  private resolveUncached(from: string, spec: string): ResolvedImport {
    const relative = spec.startsWith('.') || path.isAbsolute(spec);
    if (!relative && isMlPackage(spec)) return { library: true };
    const options = this.optionsFor(path.dirname(from));
    // A package name is a workspace file only through `paths`/`baseUrl`: never look in node_modules.
    if (!relative && !options.paths && !options.baseUrl) return { library: true };
    let refused: string | undefined;
    const host: ts.ModuleResolutionHost = {
      fileExists: (f) => {
        if (f === from || /[\\/]node_modules[\\/]/.test(f)) return false;
        if (this.io.readText(f) !== undefined) return true;
        refused ??= this.io.whyUnreadable(f);
        return false;
      },
      readFile: (f) => (/[\\/]node_modules[\\/]/.test(f) ? undefined : this.io.readText(f)),
      // Folders are probed as files (`x/index.ts`, `x/package.json`) through fileExists.
      directoryExists: () => true,
    };
    let file: string | undefined;
    for (const kind of resolutionKinds(options)) {
      const r = ts.resolveModuleName(spec, from, { ...options, moduleResolution: kind, allowJs: true, resolveJsonModule: false }, host).resolvedModule;
      if (r && !r.isExternalLibraryImport) {
        file = this.valueFile(r.resolvedFileName);
        if (file) break;
      }
    }
    if (file) return { file };
    if (relative) {
      // Node loads `require('./x')` as written too, extension or not, before trying others.
      const exact = path.resolve(path.dirname(from), spec);
      if (exact !== from && this.io.readText(exact) !== undefined) return { file: exact };
      refused = this.io.whyUnreadable(exact) ?? refused;
      return { refused };
    }
    return { library: true, refused };
  }

  /** A `.d.ts` declares types only: the module's values are in its `.js` sibling, if any. */
  private valueFile(f: string): string | undefined {
    if (!/\.d\.[cm]?ts$/.test(f)) return f;
    const base = f.replace(/\.d\.([cm]?)ts$/, '');
    for (const ext of ['.js', '.mjs', '.cjs']) if (this.io.readText(base + ext) !== undefined) return base + ext;
    return undefined;
  }

  /** The compiler options of the nearest tsconfig.json/jsconfig.json above `dir` (defaults when none). */
  private optionsFor(dir: string): ts.CompilerOptions {
    const known = this.optionsByDir.get(dir);
    if (known) return known;
    let options: ts.CompilerOptions | undefined;
    let d = dir;
    for (let i = 0; i < MAX_CONFIG_DEPTH && !options; i++) {
      for (const name of ['tsconfig.json', 'jsconfig.json']) {
        const cfg = path.join(d, name);
        if (this.io.readText(cfg) !== undefined) {
          options = this.readConfig(cfg, 0);
          break;
        }
      }
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
    options ??= {};
    this.optionsByDir.set(dir, options);
    return options;
  }

  /** A config's compiler options, with what it `extends` (relative paths) underneath. */
  private readConfig(file: string, depth: number): ts.CompilerOptions {
    const text = this.io.readText(file);
    if (text === undefined) return {};
    const parsed = ts.parseConfigFileTextToJson(file, text).config as { compilerOptions?: unknown; extends?: unknown } | undefined;
    if (!parsed || typeof parsed !== 'object') return {};
    let base: ts.CompilerOptions = {};
    const ext = typeof parsed.extends === 'string' ? [parsed.extends] : Array.isArray(parsed.extends) ? parsed.extends.filter((e): e is string => typeof e === 'string') : [];
    for (const e of ext) {
      if (depth >= MAX_EXTENDS || !e.startsWith('.')) continue; // a package's config (`@tsconfig/node18`) lives in node_modules
      const target = path.resolve(path.dirname(file), /\.json$/.test(e) ? e : e + '.json');
      base = { ...base, ...this.readConfig(target, depth + 1) };
    }
    const own = ts.convertCompilerOptionsFromJson(parsed.compilerOptions ?? {}, path.dirname(file), file).options;
    return { ...base, ...own };
  }
}

/** The configured resolution first, then the bundler's (extensionless, `./x.js` → `./x.ts`, index files). */
function resolutionKinds(options: ts.CompilerOptions): ts.ModuleResolutionKind[] {
  const configured = options.moduleResolution;
  const kinds: ts.ModuleResolutionKind[] = [];
  if (configured !== undefined && configured !== ts.ModuleResolutionKind.Classic) kinds.push(configured);
  if (configured !== ts.ModuleResolutionKind.Bundler) kinds.push(ts.ModuleResolutionKind.Bundler);
  return kinds;
}
