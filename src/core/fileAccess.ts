import * as fs from 'fs';
import * as path from 'path';
import type { AnalyzerHost } from './analyzerHost';
import { type FileCache, dirStamp, stampOf } from './fileCache';

/**
 * Which files the analyzer may read, and how. Imports in a workspace are followed, and a
 * workspace is untrusted input: `import '../../../../dev/zero'` must not allocate gigabytes, an
 * import of a FIFO must not hang, and a file outside the workspace must not be read (its text
 * could end up in a diagnostic). So only regular files, inside the roots once every symlink is
 * resolved, under a size limit, are ever opened.
 */

/** The default for `modellens.maxFileSizeKB` and the CLI: larger files get one diagnostic, not an analysis. */
export const DEFAULT_MAX_FILE_KB = 1024;

export interface FilePolicy {
  /** Folders whose files may be read (the workspace folders, the CLI's `--root`). */
  roots: readonly string[];
  /** Larger files are not read. */
  maxFileBytes: number;
}

export type ReadResult = { text: string } | { refused: string };

/** Markers of a project's top folder, for the CLI's default `--root`. */
const PROJECT_MARKERS = ['package.json', 'tsconfig.json', 'jsconfig.json', 'pyproject.toml', '.git'];

/** The nearest ancestor folder of `file` holding a project marker; else the file's own folder. */
export function findProjectRoot(file: string): string {
  const start = path.dirname(path.resolve(file));
  for (let dir = start; ; ) {
    for (const m of PROJECT_MARKERS) if (exists(path.join(dir, m))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Real path of a folder (symlinks resolved); the path itself if it does not exist. */
export function realRoot(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** Whether `p` is `root` or below it (both absolute, already real). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!isParentStep(rel) && !path.isAbsolute(rel));
}

/** `..`, `../x`: a step out of the root (a file named `..foo` is inside). */
function isParentStep(rel: string): boolean {
  return rel === '..' || rel.startsWith('..' + path.sep);
}

export function sizeLimitMessage(bytes: number, maxBytes: number): string {
  return `This file is ${formatKB(bytes)}, above ModelLens's limit of ${formatKB(maxBytes)} (setting modellens.maxFileSizeKB): it is not analyzed.`;
}

function formatKB(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB`;
}

// O_NONBLOCK: opening a FIFO that was swapped in after the checks returns at once instead of
// waiting for a writer (the fstat below then refuses it). Absent on Windows, where FIFOs don't exist.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Reads `file` if the policy allows it: a regular file (after resolving symlinks) inside one
 * of the roots, no larger than the limit. Never opens anything else; never throws.
 */
export function readUnderPolicy(file: string, policy: FilePolicy, roots: readonly string[] = policy.roots.map(realRoot), cache?: FileCache): ReadResult {
  // Read before from the very same file, unchanged (fileCache.ts), where these roots and this limit allow.
  const kept = cache?.kept(file);
  if (kept && kept.bytes <= policy.maxFileBytes && roots.some((r) => isInside(r, kept.real))) return { text: kept.text };
  let real: string;
  try {
    real = fs.realpathSync.native(file);
  } catch {
    return { refused: NOT_FOUND };
  }
  if (!roots.some((r) => isInside(r, real))) return { refused: 'it is outside the workspace' };
  let opened: fs.BigIntStats | undefined;
  const r = readRegularFile(real, policy.maxFileBytes, cache ? (fd) => (opened = fs.fstatSync(fd, { bigint: true })) : undefined);
  const stamp = opened && stampOf(opened);
  if ('text' in r && cache && opened && stamp !== undefined) cache.store(file, real, stamp, Number(opened.size), r.text);
  return 'size' in r ? { refused: `it is larger than ${formatKB(policy.maxFileBytes)}` } : r;
}

export const NOT_FOUND = 'it does not exist';

/**
 * Reads `file` only if it is a regular file of at most `maxBytes` (`size` when it is larger):
 * never opens a device, FIFO or socket. For a file the user named (the CLI's argument) as for imports.
 * `onOpened` sees the opened regular file before it is read.
 */
export function readRegularFile(file: string, maxBytes: number, onOpened?: (fd: number) => void): ReadResult | { size: number } {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { refused: NOT_FOUND };
  }
  if (!st.isFile()) return { refused: st.isDirectory() ? 'it is a folder' : 'it is not a regular file' };
  if (st.size > maxBytes) return { size: st.size };
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
    // The file may have been replaced between the check and the open: check what was opened.
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) return { refused: 'it is not a regular file' };
    if (opened.size > maxBytes) return { size: opened.size };
    // Before reading: a write during the read leaves a stamp that no longer matches (fileCache.ts).
    onOpened?.(fd);
    // Read at most one byte past the limit: a file that grows while being read stays bounded.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, opened.size + 1));
    let n = 0;
    for (let r; n < buf.length && (r = fs.readSync(fd, buf, n, buf.length - n, n)) > 0; ) n += r;
    if (n > maxBytes) return { size: n };
    return { text: buf.toString('utf8', 0, n) };
  } catch (e) {
    return { refused: `it could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Bounds of PolicyHost.workspaceFiles. */
export const MAX_LISTED_FILES = 5000;
const MAX_LISTED_DIRS = 2000;
const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

/**
 * The analyzer's window on the disk under a policy (the CLI; the analysis worker for `file:`
 * workspaces). Remembers why each refused file was refused, for the `?` it leaves.
 */
export class PolicyHost implements AnalyzerHost {
  private readonly realRoots: string[];
  readonly refusals = new Map<string, string>();

  /** `cache`: texts and listings kept across hosts (the analysis worker's; see fileCache.ts). */
  constructor(
    readonly policy: FilePolicy,
    private readonly cache?: FileCache,
  ) {
    this.realRoots = policy.roots.map(realRoot);
  }

  readFile(file: string): string | undefined {
    const r = readUnderPolicy(file, this.policy, this.realRoots, this.cache);
    if ('text' in r) return r.text;
    this.refusals.set(file, r.refused);
    return undefined;
  }

  /** Why `file` was not read, when it exists but the policy kept it out. */
  whyUnreadable(file: string): string | undefined {
    const why = this.refusals.get(file);
    return why === NOT_FOUND ? undefined : why;
  }

  /**
   * The workspace's script files (.ts, .tsx, .js, .jsx, .mjs, .cjs, .mts, .cts), for finding the
   * call sites of a builder in the files that import it: a walk of the roots that never follows a
   * symbolic link, skips node_modules and hidden folders, and stops at MAX_LISTED_FILES files or
   * MAX_LISTED_DIRS folders (a huge workspace gets a partial list, never a long walk). Read once
   * per host (and kept across hosts by a cache while no folder it walked changed).
   */
  workspaceFiles(): readonly string[] {
    if (this.listed) return this.listed;
    return (this.listed = this.cache ? this.cache.listing(this.realRoots, () => listScriptFiles(this.realRoots)) : listScriptFiles(this.realRoots).files);
  }
  private listed?: string[];

  /** Whether `file` (absolute) lies inside a root, symlinks resolved as far as they exist. */
  allows(file: string): boolean {
    return this.realRoots.some((r) => isInside(r, realRoot(file)));
  }
}

/** The walk of PolicyHost.workspaceFiles, with each folder it read and that folder's stamp from just before reading it (fileCache.ts). */
function listScriptFiles(realRoots: readonly string[]): { files: string[]; dirs: Map<string, string> } {
  const files: string[] = [];
  const dirs = new Map<string, string>();
  const queue = [...realRoots];
  // Breadth first: the folders nearest the roots are listed before a deep tree uses the budget.
  while (queue.length && files.length < MAX_LISTED_FILES && dirs.size < MAX_LISTED_DIRS) {
    const dir = queue.shift()!;
    dirs.set(dir, dirStamp(dir));
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') queue.push(path.join(dir, e.name));
      } else if (e.isFile() && SCRIPT_FILE.test(e.name) && !e.name.endsWith('.d.ts') && files.length < MAX_LISTED_FILES) files.push(path.join(dir, e.name));
    }
  }
  return { files, dirs };
}
