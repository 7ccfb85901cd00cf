import * as path from 'path';
import type { Interp } from './interp';
import type { SourceInfo } from './source';
import { isPlainObjectValue, type Value } from '../../framework/values';

/**
 * Which workspace files a declaration can be imported through, and under which names: its own
 * file (`export class ResBlock`, `export default class Net`, `module.exports = { buildCnn }`),
 * and the barrels that re-export it, barrels of barrels included (`export * from './blocks'`,
 * `export { ResBlock as Block } from './blocks'`, `export { default as Net } from './net'`,
 * `module.exports = { Agent, RlAgent: Agent }` after a `require`). A call site in a file that
 * imports it through any of these counts (callSites.ts): that file must name one of these files
 * in a module specifier.
 *
 * Which file a re-export's specifier names is TypeScript's resolver's answer (Project.resolveImport);
 * a CommonJS file's exports are evaluated (in isolation) and compared with the declaration.
 */

/** A workspace file read for call sites: its path and text. */
export interface Candidate {
  file: string;
  text: string;
}

/** A file's names for the declaration; `default` for a default export. */
export type Reach = Map<string, Set<string>>;

/** Rounds of barrels of barrels followed. */
const MAX_BARREL_DEPTH = 4;

/** Text that may re-export: `export … from`, `export *`, CommonJS `module.exports`/`exports.x`. */
const REEXPORT = /\bexport\s*(?:\*|\{)|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/;

export function reachOf(interp: Interp, src: SourceInfo, name: string, candidates: readonly Candidate[], isTarget: (v: Value) => boolean, isolated: <T>(fn: () => T) => T): Reach {
  const project = interp.project;
  const reach: Reach = new Map();
  reach.set(path.resolve(src.path), ownNames(interp, src, name, isTarget, isolated));
  for (let round = 0; round < MAX_BARREL_DEPTH; round++) {
    const spec = specifierPattern([...reach.keys()]);
    let grew = false;
    for (const c of candidates) {
      const key = path.resolve(c.file);
      // The specifier first: few files name it, and the test is cheaper than REEXPORT's.
      if (reach.has(key) || !spec.test(c.text) || !REEXPORT.test(c.text)) continue;
      const other = project.source(c.file);
      if (!other) continue;
      const names = new Set<string>();
      const table = project.modules.table(other);
      const target = (s: string): Set<string> | undefined => {
        const f = project.resolveImport(other.path, s).file;
        return f ? reach.get(path.resolve(f)) : undefined;
      };
      for (const [exported, e] of table.entries) {
        if (!('from' in e)) continue;
        const from = target(e.from);
        // `export * as blocks from './blocks'`: called as `blocks.ResBlock(…)`, by the name it has there.
        if (from && (e.name === '*' || from.has(e.name))) names.add(e.name === '*' ? name : exported);
      }
      for (const s of table.stars) for (const n of target(s) ?? []) if (n !== 'default') names.add(n);
      if (table.commonJs.length > 0) for (const n of commonJsNames(interp, other, isTarget, isolated)) names.add(n);
      if (names.size > 0) {
        reach.set(key, names);
        grew = true;
      }
    }
    if (!grew) break;
  }
  return reach;
}

/** The names the declaration's own file exports it as, and its own name (its calls in that file, and `import { X }` of it). */
function ownNames(interp: Interp, src: SourceInfo, name: string, isTarget: (v: Value) => boolean, isolated: <T>(fn: () => T) => T): Set<string> {
  const names = new Set([name]);
  const table = interp.project.modules.table(src);
  for (const [exported, e] of table.entries) if ('local' in e && e.local === name) names.add(exported);
  if (table.commonJs.length > 0) for (const n of commonJsNames(interp, src, isTarget, isolated)) names.add(n);
  return names;
}

/** `module.exports = Agent` (default) and `module.exports = { Agent, RlAgent: Agent }`: the names under which the declaration leaves a CommonJS file. */
function commonJsNames(interp: Interp, src: SourceInfo, isTarget: (v: Value) => boolean, isolated: <T>(fn: () => T) => T): string[] {
  const exportsValue = isolated(() => {
    try {
      return interp.project.modules.commonJsExports(interp, src);
    } catch {
      return undefined;
    }
  });
  if (isTarget(exportsValue)) return ['default'];
  if (!isPlainObjectValue(exportsValue)) return [];
  return Object.keys(exportsValue).filter((k) => isTarget(exportsValue[k]));
}

/**
 * A module specifier that may name one of `files`: `'./zoo'`, `"../lib/zoo.js"`, `'@models/zoo'`,
 * or for an index file its folder (`'./lib'`, `'.'`). A file that names none of these imports none
 * of them. Its `test` looks for the names as plain text first: the regular expression, much
 * slower on every quote of a large file, runs only on the few files that have them.
 */
export function specifierPattern(files: readonly string[]): { test(text: string): boolean } {
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alternatives = new Set<string>();
  const needles = new Set<string>();
  for (const file of files) {
    const base = path.basename(file).replace(/\.[cm]?[jt]sx?$/i, '');
    const dir = path.basename(path.dirname(file));
    if (base === 'index') {
      alternatives.add(`${esc(dir)}|${esc(dir)}/index|\\.|\\./index`);
      for (const n of [dir, "'.", '".', '`.']) needles.add(n);
    } else {
      alternatives.add(esc(base));
      needles.add(base);
    }
  }
  const re = new RegExp(`['"\`](?:[^'"\`\\n]*/)?(?:${[...alternatives].join('|')})(?:\\.[cm]?[jt]sx?)?['"\`]`);
  return { test: (text) => [...needles].some((n) => text.includes(n)) && re.test(text) };
}
