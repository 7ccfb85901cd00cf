import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisClient, type Job } from '../../src/analysisWorker/client';

/**
 * The analysis worker's V8 code caches for TypeScript and the analyzer's bundle
 * (src/analysisWorker/codeCache.ts): the first worker compiles both and saves their caches after
 * its first analysis, the next one uses them, and a cache that is corrupt, for another version or
 * in a directory that can't be written is ignored — always the same summary. Checked by what the
 * worker reports and the files on disk, after replies (the save happens before the worker
 * handles its next request). Under tsc the analyzer's "bundle" is out/…/analysisCore.js, which
 * requires the rest: the same loading path as dist/analysisCore.js, with less in it.
 */

const ROOT = path.resolve(__dirname, '../../..');
const ENTRY = path.join(ROOT, 'out/src/analysisWorker/main.js');
const FILE = path.join(ROOT, 'examples', 'simple-mlp.ts');
const job = (): Job => ({ file: FILE, text: fs.readFileSync(FILE, 'utf8'), disk: true, roots: [path.join(ROOT, 'examples')], maxFileBytes: 1024 * 1024, open: [], fetched: [] });

/** One fresh worker: its first reply's code-cache report and total, after a second request (the save is done by then). */
async function freshWorker(codeCacheDir: string | undefined, entry = ENTRY): Promise<{ codeCache?: string; analyzerCache?: string; total: number | null | undefined }> {
  const client = new AnalysisClient(entry, { codeCacheDir });
  try {
    const first = await client.analyze(job()).result;
    assert.ok(first);
    await client.analyze({ ...job(), text: `${job().text}\n` }).result;
    return { codeCache: first.codeCache, analyzerCache: first.analyzerCache, total: first.summary.models[0]?.totalParams };
  } finally {
    client.dispose();
  }
}

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache')).sort() : []);

describe('the analysis worker\'s TypeScript code cache', function () {
  let dir: string;
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-codecache-')), 'globalStorage');
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('the first worker compiles and saves them, the next uses them; the summary is the same (PyTorch: 333,853)', async () => {
    const a = await freshWorker(dir);
    assert.strictEqual(a.codeCache, 'miss');
    assert.strictEqual(a.analyzerCache, 'miss');
    const files = cacheFiles(dir);
    assert.deepStrictEqual(files.map((f) => f.replace(/-[0-9a-f]+\.v8cache$/, '')), ['analysisCore', 'typescript']);
    assert.ok(fs.statSync(path.join(dir, files[1])).size > 100_000);
    const b = await freshWorker(dir);
    assert.strictEqual(b.codeCache, 'hit');
    assert.strictEqual(b.analyzerCache, 'hit');
    assert.deepStrictEqual(cacheFiles(dir), files);
    assert.strictEqual(a.total, 333_853);
    assert.strictEqual(b.total, 333_853);
  });

  it('a corrupt cache is rejected by V8 and rewritten; stale files of another version are removed', async () => {
    await freshWorker(dir);
    const files = cacheFiles(dir);
    for (const name of files) fs.writeFileSync(path.join(dir, name), Buffer.alloc(4096, 7));
    fs.writeFileSync(path.join(dir, 'typescript-0123456789abcdef01234567.v8cache'), 'old');
    fs.writeFileSync(path.join(dir, 'analysisCore-0123456789abcdef01234567.v8cache'), 'old');
    const c = await freshWorker(dir);
    assert.strictEqual(c.codeCache, 'rejected');
    assert.strictEqual(c.analyzerCache, 'rejected');
    assert.strictEqual(c.total, 333_853);
    assert.deepStrictEqual(cacheFiles(dir), files);
    const d = await freshWorker(dir);
    assert.deepStrictEqual([d.codeCache, d.analyzerCache], ['hit', 'hit']);
  });

  it('a worker started before the directory is known (the extension starts it before activate()) waits for it, then uses the caches; a request first means no cache', async () => {
    await freshWorker(dir);
    const early = new AnalysisClient(ENTRY, { cacheDirLater: true });
    try {
      early.warm();
      early.configure(dir);
      const first = await early.analyze(job()).result;
      assert.deepStrictEqual([first?.codeCache, first?.analyzerCache, first?.summary.models[0]?.totalParams], ['hit', 'hit', 333_853]);
      const second = await early.analyze({ ...job(), text: `${job().text}\n` }).result;
      assert.strictEqual(second?.summary.models[0]?.totalParams, 333_853);
    } finally {
      early.dispose();
    }
    const asked = new AnalysisClient(ENTRY, { cacheDirLater: true });
    try {
      asked.warm();
      const first = await asked.analyze(job()).result;
      assert.deepStrictEqual([first?.codeCache, first?.analyzerCache, first?.summary.models[0]?.totalParams], ['off', 'off', 333_853]);
    } finally {
      asked.dispose();
    }
  });

  it('a worker that sees only Python never loads TypeScript; its first TypeScript file loads it through the cache (the shipped bundles)', async () => {
    const entry = path.join(ROOT, 'dist', 'analysis-worker.js');
    const py = path.join(ROOT, 'examples', 'python', 'simple_mlp.py');
    const pyJob = (): Job => ({ ...job(), file: py, text: fs.readFileSync(py, 'utf8') });
    const client = new AnalysisClient(entry, { codeCacheDir: dir });
    try {
      const first = await client.analyze(pyJob()).result;
      assert.deepStrictEqual([first?.codeCache, first?.analyzerCache, first?.summary.models[0]?.totalParams], ['not loaded', 'miss', 333_853]);
      await client.analyze({ ...pyJob(), text: `${pyJob().text}\n` }).result;
      assert.deepStrictEqual(cacheFiles(dir).map((f) => f.replace(/-[0-9a-f]+\.v8cache$/, '')), ['analysisCore']);
      // Then a TypeScript file in the same worker: the compiler loads (compiled, as no cache exists yet), and its cache is saved after that analysis.
      const ts = await client.analyze(job()).result;
      assert.strictEqual(ts?.summary.models[0]?.totalParams, 333_853);
      await client.analyze({ ...job(), text: `${job().text}\n` }).result;
      assert.deepStrictEqual(cacheFiles(dir).map((f) => f.replace(/-[0-9a-f]+\.v8cache$/, '')), ['analysisCore', 'typescript']);
    } finally {
      client.dispose();
    }
    assert.deepStrictEqual(await freshWorker(dir, entry), { codeCache: 'hit', analyzerCache: 'hit', total: 333_853 });
  });

  it('no directory, or one that cannot be created: TypeScript loads the plain way', async () => {
    assert.deepStrictEqual(await freshWorker(undefined), { codeCache: 'off', analyzerCache: 'off', total: 333_853 });
    const blocked = path.join(path.dirname(dir), 'a-file');
    fs.writeFileSync(blocked, '');
    const r = await freshWorker(path.join(blocked, 'storage'));
    assert.strictEqual(r.codeCache, 'miss');
    assert.strictEqual(r.analyzerCache, 'miss');
    assert.strictEqual(r.total, 333_853);
    assert.deepStrictEqual(cacheFiles(path.join(blocked, 'storage')), []);
  });

  it('the shipped bundles (dist/analysis-worker.js loading dist/analysisCore.js): both cached, and both in the package', async () => {
    const entry = path.join(ROOT, 'dist', 'analysis-worker.js');
    const a = await freshWorker(dir, entry);
    assert.deepStrictEqual(a, { codeCache: 'miss', analyzerCache: 'miss', total: 333_853 });
    const analyzer = cacheFiles(dir).find((f) => f.startsWith('analysisCore-'));
    assert.ok(analyzer && fs.statSync(path.join(dir, analyzer)).size > 100_000, 'the whole analyzer is in its cache');
    assert.deepStrictEqual(await freshWorker(dir, entry), { codeCache: 'hit', analyzerCache: 'hit', total: 333_853 });
    // .vscodeignore ships only what it names: the worker and the analyzer it loads must be named.
    const shipped = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const f of ['dist/analysis-worker.js', 'dist/analysisCore.js']) assert.ok(shipped.includes(`!${f}`), f);
  });
});
