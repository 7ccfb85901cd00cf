import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisClient, type Job } from '../../src/analysisWorker/client';

/**
 * The analysis worker's V8 code cache for TypeScript (src/analysisWorker/codeCache.ts): the
 * first worker compiles TypeScript and saves the cache after its first analysis, the next one
 * uses it, and a cache that is corrupt, for another version or in a directory that can't be
 * written is ignored — always the same summary. Checked by what the worker reports and the
 * files on disk, after replies (the save happens before the worker handles its next request).
 */

const ROOT = path.resolve(__dirname, '../../..');
const ENTRY = path.join(ROOT, 'out/src/analysisWorker/main.js');
const FILE = path.join(ROOT, 'examples', 'simple-mlp.ts');
const job = (): Job => ({ file: FILE, text: fs.readFileSync(FILE, 'utf8'), disk: true, roots: [path.join(ROOT, 'examples')], maxFileBytes: 1024 * 1024, open: [], fetched: [] });

/** One fresh worker: its first reply's code-cache report and total, after a second request (the save is done by then). */
async function freshWorker(codeCacheDir: string | undefined): Promise<{ codeCache?: string; total: number | null | undefined }> {
  const client = new AnalysisClient(ENTRY, { codeCacheDir });
  try {
    const first = await client.analyze(job()).result;
    assert.ok(first);
    await client.analyze({ ...job(), text: `${job().text}\n` }).result;
    return { codeCache: first.codeCache, total: first.summary.models[0]?.totalParams };
  } finally {
    client.dispose();
  }
}

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : []);

describe('the analysis worker\'s TypeScript code cache', function () {
  let dir: string;
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-codecache-')), 'globalStorage');
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('the first worker compiles and saves it, the next uses it; the summary is the same (PyTorch: 333,853)', async () => {
    const a = await freshWorker(dir);
    assert.strictEqual(a.codeCache, 'miss');
    assert.strictEqual(cacheFiles(dir).length, 1);
    assert.ok(fs.statSync(path.join(dir, cacheFiles(dir)[0])).size > 100_000);
    const b = await freshWorker(dir);
    assert.strictEqual(b.codeCache, 'hit');
    assert.strictEqual(a.total, 333_853);
    assert.strictEqual(b.total, 333_853);
  });

  it('a corrupt cache is rejected by V8 and rewritten; stale files of another version are removed', async () => {
    await freshWorker(dir);
    const [name] = cacheFiles(dir);
    fs.writeFileSync(path.join(dir, name), Buffer.alloc(4096, 7));
    fs.writeFileSync(path.join(dir, 'typescript-0123456789abcdef01234567.v8cache'), 'old');
    const c = await freshWorker(dir);
    assert.strictEqual(c.codeCache, 'rejected');
    assert.strictEqual(c.total, 333_853);
    assert.deepStrictEqual(cacheFiles(dir), [name]);
    assert.strictEqual((await freshWorker(dir)).codeCache, 'hit');
  });

  it('no directory, or one that cannot be created: TypeScript loads the plain way', async () => {
    assert.deepStrictEqual(await freshWorker(undefined), { codeCache: 'off', total: 333_853 });
    const blocked = path.join(path.dirname(dir), 'a-file');
    fs.writeFileSync(blocked, '');
    const r = await freshWorker(path.join(blocked, 'storage'));
    assert.strictEqual(r.codeCache, 'miss');
    assert.strictEqual(r.total, 333_853);
  });
});
