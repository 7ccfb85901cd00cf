import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import { PolicyHost, findProjectRoot, readUnderPolicy } from '../../src/core/fileAccess';
import { FileCache } from '../../src/core/fileCache';
import type { FileSummary } from '../../src/core/summary';

/**
 * Imports are followed only to regular files inside the workspace, under the size limit: never
 * a device, a FIFO, a file outside (directly or through a symlink), a huge file. Each case runs
 * through the CLI as a process (a hang or an abort there fails the test instead of the runner)
 * and through the core with a policy host.
 */

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'out/src/cli/main.js');
const SECRET = 'SECRET_FROM_OUTSIDE_4f1c';

/** A model whose first layer's width comes from `spec`: its params are 7 × 4 + 4 = 32 when `spec` was read. */
function modelImporting(spec: string): string {
  return `import * as nn from 'torch/nn';
import { WIDTH } from '${spec}';
/** @inputShape [2, 7] */
export class Net extends nn.Module {
  fc = nn.Linear(WIDTH, 4);
  forward(x) { return this.fc(x); }
}
`.replace('nn.Linear(', 'new nn.Linear(');
}

const WIDTH_7 = `export const WIDTH = 7;\nexport const NOTE = '${SECRET}';\n`;

let tmp: string;
let ws: string;
let outside: string;

/** `modellens summary FILE --format json [extra]` as a process. A hang is a failure, not a wait: the guard is generous. */
function cli(file: string, ...extra: string[]): { status: number | null; out: string; err: string; json?: { models: { totalParams: number | null; layers: { unknownReason: string | null }[] }[]; diagnostics: { message: string; code?: string }[] } } {
  const r = spawnSync(process.execPath, [CLI, 'summary', file, '--format', 'json', ...extra], { cwd: ws, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  assert.strictEqual(r.error, undefined, `the CLI did not finish: ${r.error?.message}`);
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { status: r.status, out: r.stdout, err: r.stderr, json };
}

function write(rel: string, text: string): string {
  const p = path.join(ws, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** The import was not read: the layer's params are `?` with the reason, and nothing of the file shows. */
function assertNotRead(r: ReturnType<typeof cli>, why: RegExp): void {
  assert.strictEqual(r.status, 0, r.err);
  assert.ok(r.json, r.out);
  const m = r.json.models[0];
  assert.strictEqual(m.totalParams, null);
  assert.match(m.layers[0].unknownReason ?? '', why);
  assert.ok(!r.out.includes(SECRET) && !r.err.includes(SECRET), 'a string of the unread file appears in the output');
}

describe('file access stays inside the workspace', function () {
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-access-')));
    ws = path.join(tmp, 'ws');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(ws);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(ws, 'package.json'), '{}');
    fs.writeFileSync(path.join(outside, 'secret.ts'), WIDTH_7);
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run tsc first`);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  beforeEach(() => clearAnalysisCache());

  it('reads an import inside the workspace (the control case): 7 × 4 + 4 = 32', () => {
    write('lib/width.ts', WIDTH_7);
    const r = cli(write('src/a.ts', modelImporting('../lib/width')));
    assert.strictEqual(r.status, 0, r.err);
    assert.strictEqual(r.json?.models[0].totalParams, 32);
  });

  it('does not read a file outside the workspace, and none of its strings appear', () => {
    const rel = path.relative(path.join(ws, 'src'), path.join(outside, 'secret'));
    assertNotRead(cli(write('src/b.ts', modelImporting(rel))), /outside the workspace/);
  });

  it('does not follow a symlink (file or folder) that leads out of the workspace', () => {
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(ws, 'link.ts'));
    fs.symlinkSync(outside, path.join(ws, 'linkdir'));
    assertNotRead(cli(write('c.ts', modelImporting('./link'))), /outside the workspace/);
    assertNotRead(cli(write('d.ts', modelImporting('./linkdir/secret'))), /outside the workspace/);
  });

  it('follows a symlink that stays inside the workspace', () => {
    write('real/width.ts', WIDTH_7);
    fs.symlinkSync(path.join(ws, 'real/width.ts'), path.join(ws, 'inner-link.ts'));
    assert.strictEqual(cli(write('e.ts', modelImporting('./inner-link'))).json?.models[0].totalParams, 32);
  });

  it('never opens /dev/zero, even with the whole disk as the root', () => {
    const spec = '../'.repeat(ws.split(path.sep).length + 2) + 'dev/zero';
    assertNotRead(cli(write('f.ts', modelImporting(spec))), /outside the workspace/);
    assertNotRead(cli(write('g.ts', modelImporting(spec)), '--root', '/'), /not a regular file/);
  });

  it('never opens a FIFO (which would wait forever for a writer)', function () {
    if (process.platform === 'win32') throw new Error('FIFOs need a POSIX system');
    execFileSync('mkfifo', [path.join(ws, 'pipe.ts')]);
    assertNotRead(cli(write('h.ts', modelImporting('./pipe'))), /not a regular file/);
    // Named on the command line, in a folder listing too: one diagnostic, no hang.
    const named = cli(path.join(ws, 'pipe.ts'));
    assert.strictEqual(named.status, 0, named.err);
    assert.deepStrictEqual(named.json?.diagnostics.map((d) => d.code), ['file-access']);
  });

  it('does not read an import above the size limit', () => {
    write('huge/width.ts', WIDTH_7 + `// ${'x'.repeat(1100 * 1024)}\n`);
    assertNotRead(cli(write('i.ts', modelImporting('./huge/width'))), /larger than 1,024 KB/);
    assertNotRead(cli(write('j.ts', modelImporting('./lib2/width'))), /could not read$/); // absent: no reason to give
    write('small/width.ts', WIDTH_7 + `// ${'x'.repeat(3 * 1024)}\n`);
    assertNotRead(cli(write('k.ts', modelImporting('./small/width')), '--max-file-size', '2'), /larger than 2 KB/);
  });

  it('gives a file above the size limit one diagnostic instead of an analysis', () => {
    const big = write('big.ts', modelImporting('./lib/width') + `// ${'x'.repeat(1100 * 1024)}\n`);
    const r = cli(big);
    assert.strictEqual(r.status, 0, r.err);
    assert.deepStrictEqual(r.json?.models, []);
    assert.deepStrictEqual(r.json?.diagnostics.map((d) => d.code), ['size-limit']);
    assert.match(r.json?.diagnostics[0].message ?? '', /modellens\.maxFileSizeKB/);
    // The same through the core, with the text already in memory (an editor's document).
    const s: FileSummary = analyzeSource(big, fs.readFileSync(big, 'utf8'));
    assert.deepStrictEqual(s.diagnostics.map((d) => d.code), ['size-limit']);
  });

  it('--root limits imports to that folder; the default is the nearest project root', () => {
    write('lib/width.ts', WIDTH_7);
    const file = write('pkg/src/l.ts', modelImporting('../../lib/width'));
    assert.strictEqual(findProjectRoot(file), ws);
    assert.strictEqual(cli(file).json?.models[0].totalParams, 32);
    fs.writeFileSync(path.join(ws, 'pkg/tsconfig.json'), '{}');
    assert.strictEqual(findProjectRoot(file), path.join(ws, 'pkg'));
    assertNotRead(cli(file), /outside the workspace/);
    assert.strictEqual(cli(file, '--root', ws).json?.models[0].totalParams, 32);
    assertNotRead(cli(file, '--root', path.join(ws, 'pkg/src')), /outside the workspace/);
  });

  it('the policy host in the core refuses the same cases, and says why', () => {
    const host = new PolicyHost({ roots: [ws], maxFileBytes: 1024 * 1024 });
    assert.strictEqual(host.readFile(path.join(ws, 'link.ts')), undefined);
    assert.strictEqual(host.whyUnreadable(path.join(ws, 'link.ts')), 'it is outside the workspace');
    assert.strictEqual(host.readFile(path.join(ws, 'pipe.ts')), undefined);
    assert.strictEqual(host.whyUnreadable(path.join(ws, 'pipe.ts')), 'it is not a regular file');
    assert.strictEqual(host.readFile(path.join(ws, 'nope.ts')), undefined);
    assert.strictEqual(host.whyUnreadable(path.join(ws, 'nope.ts')), undefined);
    assert.deepStrictEqual(readUnderPolicy('/dev/zero', { roots: ['/'], maxFileBytes: 1 << 30 }), { refused: 'it is not a regular file' });
    assert.ok(host.readFile(path.join(ws, 'lib/width.ts'))?.includes('WIDTH'));
  });
});

describe('the analysis worker’s cache of the disk (texts and the workspace listing, kept across analyses)', () => {
  let dir: string;
  let inside: string;
  let away: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-filecache-')));
    inside = path.join(dir, 'ws');
    away = path.join(dir, 'away');
    fs.mkdirSync(path.join(inside, 'src'), { recursive: true });
    fs.mkdirSync(away);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const host = (cache: FileCache, roots = [inside], maxFileBytes = 1024 * 1024) => new PolicyHost({ roots, maxFileBytes }, cache);

  it('serves a text again only while the file is the one read: an edit of the same size, a swap for a link to a file outside, other roots and a lower limit are never served from it', () => {
    const cache = new FileCache();
    const f = path.join(inside, 'src/width.ts');
    fs.writeFileSync(f, 'export const WIDTH = 7;\n');
    assert.strictEqual(host(cache).readFile(f), 'export const WIDTH = 7;\n');
    assert.strictEqual(host(cache).readFile(f), 'export const WIDTH = 7;\n');
    assert.deepStrictEqual([cache.stats.reads, cache.stats.hits], [1, 1], 'the second host got the kept text');
    // Same size, written at once: the stamp (inode, size, times to the nanosecond) tells it apart.
    fs.writeFileSync(f, 'export const WIDTH = 9;\n');
    assert.strictEqual(host(cache).readFile(f), 'export const WIDTH = 9;\n');
    // A host whose roots do not hold the file never gets it, kept or not.
    const narrow = host(cache, [path.join(inside, 'other')]);
    assert.strictEqual(narrow.readFile(f), undefined);
    assert.strictEqual(narrow.whyUnreadable(f), 'it is outside the workspace');
    // Nor one whose size limit it exceeds.
    assert.strictEqual(host(cache, [inside], 8).readFile(f), undefined);
    // The path swapped for a link to a file outside the roots: refused, not the kept text.
    fs.writeFileSync(path.join(away, 'secret.ts'), `export const WIDTH = '${SECRET}';\n`);
    fs.rmSync(f);
    fs.symlinkSync(path.join(away, 'secret.ts'), f);
    const h = host(cache);
    assert.strictEqual(h.readFile(f), undefined);
    assert.strictEqual(h.whyUnreadable(f), 'it is outside the workspace');
  });

  it('keeps the listing while no folder it walked changed, and sees a file created, deleted or renamed without any event', () => {
    const cache = new FileCache();
    fs.writeFileSync(path.join(inside, 'src/a.ts'), '');
    fs.mkdirSync(path.join(inside, 'src/deep/er'), { recursive: true });
    fs.writeFileSync(path.join(inside, 'src/deep/er/b.js'), '');
    const list = () => [...host(cache).workspaceFiles()].map((f) => path.relative(inside, f)).sort();
    assert.deepStrictEqual(list(), ['src/a.ts', 'src/deep/er/b.js']);
    assert.deepStrictEqual(list(), ['src/a.ts', 'src/deep/er/b.js']);
    assert.deepStrictEqual([cache.stats.listings, cache.stats.listingHits], [1, 1]);
    fs.writeFileSync(path.join(inside, 'src/deep/er/c.mjs'), '');
    assert.deepStrictEqual(list(), ['src/a.ts', 'src/deep/er/b.js', 'src/deep/er/c.mjs']);
    fs.renameSync(path.join(inside, 'src/deep'), path.join(inside, 'src/shallow'));
    assert.deepStrictEqual(list(), ['src/a.ts', 'src/shallow/er/b.js', 'src/shallow/er/c.mjs']);
    fs.rmSync(path.join(inside, 'src/a.ts'));
    assert.deepStrictEqual(list(), ['src/shallow/er/b.js', 'src/shallow/er/c.mjs']);
    // A linked folder is still never walked.
    fs.symlinkSync(away, path.join(inside, 'linked'));
    fs.writeFileSync(path.join(away, 'x.ts'), '');
    assert.deepStrictEqual(list(), ['src/shallow/er/b.js', 'src/shallow/er/c.mjs']);
  });

  it('a watcher’s event drops what it names at once', () => {
    const cache = new FileCache();
    const f = path.join(inside, 'src/a.ts');
    fs.writeFileSync(f, 'export const A = 1;\n');
    host(cache).readFile(f);
    host(cache).workspaceFiles();
    cache.forget([path.join(inside, 'src')], true);
    host(cache).readFile(f);
    host(cache).workspaceFiles();
    assert.deepStrictEqual([cache.stats.reads, cache.stats.hits, cache.stats.listings], [2, 0, 2], 'read and listed again after the event');
  });
});
