import * as fs from 'fs';
import * as path from 'path';

/**
 * What the analysis worker keeps of the disk between analyses: the texts it read under the
 * file-access policy and the workspace's listing of script files. Finding a builder's call sites
 * reads up to 200 files (2M characters) and lists up to 5,000 files in 2,000 folders on every
 * analysis, that is on every edit; kept here, an edit costs a `stat` per file and per folder.
 *
 * Never stale: a text is served again only while its file is the very one read (same device,
 * inode, size, modification and change times, to the nanosecond), a listing only while none of
 * the folders it walked changed (a folder's modification time changes whenever an entry is
 * created, deleted or renamed in it). The extension also forwards its file watcher's events
 * (`forget`), which drop entries at once, but the checks do not rely on them: a watcher's events
 * come late, and some never come (an excluded folder, a full event queue).
 *
 * It holds only what fileAccess.ts let through (the policy's checks run on every use, cached or
 * not: see readUnderPolicy), and a bounded amount of it.
 */

/** How much text is kept, in all (about twice what one analysis may read). */
const MAX_CACHED_CHARS = 8_000_000;
/** Listings kept (one per set of roots: a window's workspace folders, a file's project root). */
const MAX_LISTINGS = 8;

interface TextEntry {
  /** Where the path led when it was read (what the policy checked). */
  real: string;
  stamp: string;
  /** Its size in bytes (the policy's limit may differ from one request to the next). */
  bytes: number;
  text: string;
}

interface Listing {
  files: string[];
  /** Every folder the walk read, with its stamp taken before reading it. */
  dirs: Map<string, string>;
}

export class FileCache {
  private readonly texts = new Map<string, TextEntry>();
  private chars = 0;
  private readonly listings = new Map<string, Listing>();
  /** For the tests and the benchmark: texts served from the cache, and files read. */
  readonly stats = { hits: 0, reads: 0, listings: 0, listingHits: 0 };

  /**
   * What was read earlier from `file`, if `file` still leads to that very file, unchanged: its
   * text, the real path it had then and its size. No `realpath` needed: the same device and inode
   * with the same size and times is the same bytes, and a path swapped to lead elsewhere (inside
   * the roots or not) leads to another inode: not served, read under the policy again. The
   * caller still checks that real path against its own roots and size limit (requests differ).
   */
  kept(file: string): Readonly<TextEntry> | undefined {
    const e = this.texts.get(file);
    if (!e) return undefined;
    if (fileStamp(file) !== e.stamp) {
      this.drop(file);
      return undefined;
    }
    this.stats.hits++;
    // Most recently used last: eviction takes the oldest first.
    this.texts.delete(file);
    this.texts.set(file, e);
    return e;
  }

  /** Keeps what was read from `file` while the opened file's stamp was `stamp` (what fileStamp(file) says while it is unchanged). */
  store(file: string, real: string, stamp: string, bytes: number, text: string): void {
    this.stats.reads++;
    this.drop(file);
    if (text.length > MAX_CACHED_CHARS / 4) return;
    this.texts.set(file, { real, stamp, bytes, text });
    this.chars += text.length;
    for (const [k] of this.texts) {
      if (this.chars <= MAX_CACHED_CHARS) break;
      this.drop(k);
    }
  }

  /** The listing of script files under `realRoots`: the kept one while no folder it walked changed, else `walk()`'s. */
  listing(realRoots: readonly string[], walk: () => Listing): string[] {
    const key = realRoots.join('\0');
    const known = this.listings.get(key);
    if (known && [...known.dirs].every(([dir, stamp]) => dirStamp(dir) === stamp)) {
      this.stats.listingHits++;
      return known.files;
    }
    this.stats.listings++;
    const fresh = walk();
    this.listings.delete(key);
    this.listings.set(key, fresh);
    if (this.listings.size > MAX_LISTINGS) this.listings.delete(this.listings.keys().next().value as string);
    return fresh.files;
  }

  /**
   * A file watcher's events: `paths` changed (their texts, and any under them when a folder is
   * deleted or renamed, are dropped); `structural` when files or folders were created, deleted or
   * renamed (the listings are dropped).
   */
  forget(paths: readonly string[], structural: boolean): void {
    if (structural) this.listings.clear();
    for (const p of paths) {
      this.drop(p);
      if (!structural) continue;
      const under = p.endsWith(path.sep) ? p : p + path.sep;
      for (const [k] of this.texts) if (k.startsWith(under)) this.drop(k);
    }
  }

  private drop(file: string): void {
    const e = this.texts.get(file);
    if (!e) return;
    this.texts.delete(file);
    this.chars -= e.text.length;
  }
}

/** Which file `file` leads to (symlinks followed), and which version of it: device, inode, size, modification and change times (ns). */
export function fileStamp(file: string): string | undefined {
  try {
    return stampOf(fs.statSync(file, { bigint: true }));
  } catch {
    return undefined;
  }
}

export function stampOf(st: fs.BigIntStats): string | undefined {
  return st.isFile() ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : undefined;
}

/** A folder's identity and modification time (ns): changes when an entry is created, deleted or renamed in it. */
export function dirStamp(dir: string): string {
  try {
    const st = fs.statSync(dir, { bigint: true });
    return st.isDirectory() ? `${st.dev}:${st.ino}:${st.mtimeNs}` : 'not a folder';
  } catch {
    return 'missing';
  }
}
