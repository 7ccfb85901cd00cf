import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisClient, type Job } from '../../src/analysisWorker/client';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import * as tf from '@tensorflow/tfjs';

/**
 * The analysis worker and its client (what the extension host runs analyses through): the
 * same summaries as the core in-process, unsaved texts seen as the editor shows them,
 * cancellation that drops the result and stops the work, a replaced worker when it is stuck or
 * dies. Events and replies are awaited; nothing here depends on timing.
 */

const ROOT = path.resolve(__dirname, '../../..');
const WORKER = path.join(ROOT, 'out/src/analysisWorker/worker.js');
const example = (f: string) => path.join(ROOT, 'examples', f);

function job(file: string, text: string, extra: Partial<Job> = {}): Job {
  return { file, text, disk: true, roots: [path.dirname(file)], maxFileBytes: 1024 * 1024, open: [], fetched: [], ...extra };
}

/** Many models, each spending its whole per-model step budget: seconds of work, cut by the file budget. */
function heavy(n: number): string {
  let s = "import * as nn from 'torch/nn';\n";
  for (let i = 0; i < n; i++) s += `export class Spin${i} extends nn.Module {\n  n = (() => { let t = 0; for (let a = 0; a < 9000; a++) for (let b = 0; b < 9000; b++) t += b; return t; })();\n  fc = new nn.Linear(4, 3);\n}\n`;
  return s;
}

describe('the analysis worker', function () {
  let spawns = 0;
  let client: AnalysisClient;
  beforeEach(() => {
    spawns = 0;
    client = new AnalysisClient(WORKER, { onSpawn: () => spawns++ });
  });
  afterEach(() => client.dispose());

  it('returns what the core returns in-process, with the files it read', async () => {
    const file = example('res-block.ts');
    const text = fs.readFileSync(file, 'utf8');
    const out = await client.analyze(job(file, text, { roots: [path.join(ROOT, 'examples')] })).result;
    clearAnalysisCache();
    assert.ok(out);
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
    assert.deepStrictEqual(plain(out.summary), plain(analyzeSource(file, text, { roots: [path.join(ROOT, 'examples')] })));
    assert.ok(out.summary.models.length > 0);
  });

  it('reads an unsaved import as the editor shows it, the others from the disk, nothing outside the roots', async () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-worker-')));
    try {
      fs.writeFileSync(path.join(tmp, 'width.ts'), 'export const WIDTH = 7;\n');
      fs.writeFileSync(path.join(tmp, 'depth.ts'), 'export const DEPTH = 5;\n');
      const text = "import * as nn from 'torch/nn';\nimport { WIDTH } from './width';\nimport { DEPTH } from './depth';\nexport class Net extends nn.Module {\n  a = new nn.Linear(WIDTH, 2);\n  b = new nn.Linear(DEPTH, 2);\n}\n";
      const main = path.join(tmp, 'main.ts');
      const out = await client.analyze(job(main, text, { open: [[path.join(tmp, 'width.ts'), 'export const WIDTH = 9;\n']] })).result;
      assert.strictEqual(out?.summary.models[0].totalParams, 9 * 2 + 2 + (5 * 2 + 2));
      assert.ok(out.reads.includes(path.join(tmp, 'depth.ts')));
      // The same open text outside the roots is not read.
      const outside = await client.analyze(job(main, text, { roots: [path.join(tmp, 'sub')], open: [[path.join(tmp, 'width.ts'), 'export const WIDTH = 9;\n']] })).result;
      assert.strictEqual(outside?.summary.models[0].totalParams, null);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('call sites in the files that import a class: on the disk, as the editor shows them, and in an open file not saved yet', async () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-worker-')));
    try {
      const block = path.join(tmp, 'block.ts');
      const text = "import * as nn from 'torch/nn';\nexport class Block extends nn.Module {\n  constructor(width: number) {\n    super();\n    this.fc = new nn.Linear(width, 2);\n  }\n}\n";
      fs.writeFileSync(block, text);
      const use = path.join(tmp, 'use.ts');
      fs.writeFileSync(use, "import { Block } from './block';\nexport const b = new Block(7);\n");
      const onDisk = await client.analyze(job(block, text)).result;
      assert.strictEqual(onDisk?.summary.models[0].totalParams, 7 * 2 + 2);
      assert.ok(onDisk.reads.includes(use), 'the importer is a file this analysis depends on');
      const edited = await client.analyze(job(block, text, { open: [[use, "import { Block } from './block';\nexport const b = new Block(9);\n"]] })).result;
      assert.strictEqual(edited?.summary.models[0].totalParams, 9 * 2 + 2);
      // A new file open in the editor, never saved, is a workspace file too: its site disagrees with use.ts's.
      const draft = path.join(tmp, 'draft.ts');
      const both = await client.analyze(job(block, text, { open: [[draft, "import { Block } from './block';\nconst c = new Block(9);\n"]] })).result;
      assert.strictEqual(both?.summary.models[0].totalParams, null);
      assert.match(both.summary.models[0].layers[0].unknownReason ?? '', /width gets different values at the 2 call sites of Block/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('keeps the workspace’s files across analyses, and never serves a stale one: a call site edited on the disk (the watcher’s event forwarded), a new file with another value, a file deleted with no event at all', async () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-worker-cache-')));
    // The file watcher's events as the extension gets them: fs.watch on the folder, then forwarded.
    const event = (name: string): Promise<void> =>
      new Promise((resolve) => {
        const w = fs.watch(tmp, (_kind, f) => {
          if (f !== name) return;
          w.close();
          resolve();
        });
      });
    const builder = `const tf = require('@tensorflow/tfjs');\n\nfunction buildMlp(inputSize) {\n  const model = tf.sequential();\n  model.add(tf.layers.dense({ inputShape: [inputSize], units: 32, activation: 'relu' }));\n  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));\n  return model;\n}\n\nmodule.exports = { buildMlp };\n`;
    // Real tfjs builds the same source with the same argument.
    const truth = (n: number) => (new Function('tf', 'module', `${builder.replace(/^const tf = .*$/m, '')}\nreturn buildMlp(${n});`)(tf, { exports: {} }) as tf.LayersModel).countParams();
    const importer = (n: number) => `const { buildMlp } = require('./models');\nconst model = buildMlp(${n});\n`;
    try {
      fs.writeFileSync(path.join(tmp, 'package.json'), '{}');
      const models = path.join(tmp, 'models.js');
      fs.writeFileSync(models, builder);
      for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(tmp, `util${i}.js`), `module.exports.f${i} = (x) => x * ${i};\n`);
      const train = path.join(tmp, 'train.js');
      fs.writeFileSync(train, importer(784));
      const params = async (text = builder) => {
        const out = await client.analyze(job(models, text)).result;
        assert.ok(out);
        return { total: out.summary.models[0].totalParams, why: out.summary.models[0].layers[0].unknownReason ?? '', cache: out.diskCache! };
      };
      assert.strictEqual((await params()).total, truth(784));
      // An edit of this file (the lens after a keystroke): the other files come from the worker's cache.
      const typed = await params(builder + '// tuning\n');
      assert.strictEqual(typed.total, truth(784));
      assert.ok(typed.cache.hits >= 31 && typed.cache.listingHits >= 1, `the files and the listing were kept: ${JSON.stringify(typed.cache)}`);
      // The call site edited on the disk (same length: only the stamp tells), its event forwarded first.
      let seen = event('train.js');
      fs.writeFileSync(train, importer(512));
      await seen;
      client.filesChanged([train], false);
      assert.strictEqual((await params()).total, truth(512));
      // A new file with another value: ? with both, never one of them.
      seen = event('eval.js');
      fs.writeFileSync(path.join(tmp, 'eval.js'), importer(256));
      await seen;
      client.filesChanged([path.join(tmp, 'eval.js')], true);
      const both = await params();
      assert.strictEqual(both.total, null);
      assert.match(both.why, /inputSize gets different values at the 2 call sites of buildMlp \((512 at train\.js:2, 256 at eval\.js:2|256 at eval\.js:2, 512 at train\.js:2)\)/);
      // Deleted, and edited, with no event at all (a watcher may miss them): the cache's own checks see both.
      fs.rmSync(path.join(tmp, 'eval.js'));
      fs.writeFileSync(train, importer(128));
      assert.strictEqual((await params()).total, truth(128));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a cancelled run resolves undefined, its work stops, and the worker goes on with the next', async () => {
    // No grace deadline here: the worker itself must stop the cancelled run for the next to be answered.
    client.dispose();
    client = new AnalysisClient(WORKER, { graceMs: 3_600_000, onSpawn: () => spawns++ });
    const running = client.analyze(job('/virtual/heavy.ts', heavy(40)));
    const next = client.analyze(job(example('simple-mlp.ts'), fs.readFileSync(example('simple-mlp.ts'), 'utf8')));
    running.cancel();
    assert.strictEqual(await running.result, undefined);
    const out = await next.result;
    assert.strictEqual(out?.summary.models[0].totalParams, 333_853);
    assert.strictEqual(spawns, 1, 'one worker all along');
  });

  it('a worker that does not notice a cancel in time is replaced, and the queued runs go to the new one', async () => {
    client.dispose();
    client = new AnalysisClient(WORKER, { graceMs: 0, onSpawn: () => spawns++ });
    const running = client.analyze(job('/virtual/heavy.ts', heavy(40)));
    const next = client.analyze(job(example('simple-mlp.ts'), fs.readFileSync(example('simple-mlp.ts'), 'utf8')));
    running.cancel();
    assert.strictEqual(await running.result, undefined);
    assert.strictEqual((await next.result)?.summary.models[0].totalParams, 333_853);
    assert.ok(spawns >= 1);
  });

  it('a worker that runs out of memory answers with a diagnostic and is replaced', async () => {
    client.dispose();
    // 64 MB: TypeScript alone takes ~18 MB of the worker's heap; at 24 MB a loaded machine's late
    // GC could run out while loading it (no analysis at all). The file's objects pass 64 MB by far.
    client = new AnalysisClient(WORKER, { heapMb: 64, onSpawn: () => spawns++ });
    const text = "import * as nn from 'torch/nn';\nexport class Grows extends nn.Module {\n  xs = (() => { let a = [{ w: 1 }]; for (let i = 0; i < 60; i++) a = a.concat(a.map((o) => ({ w: o.w, s: 'x' + i }))); return a; })();\n  fc = new nn.Linear(4, 3);\n}\n";
    const out = await client.analyze(job('/virtual/grows.ts', text)).result;
    assert.ok(out);
    const codes = [...out.summary.diagnostics, ...out.summary.models.flatMap((m) => m.diagnostics)].map((d) => `${d.code}: ${d.message}`);
    assert.ok(codes.some((c) => /^budget: /.test(c)), codes.join('\n'));
    const after = await client.analyze(job(example('simple-mlp.ts'), fs.readFileSync(example('simple-mlp.ts'), 'utf8'))).result;
    assert.strictEqual(after?.summary.models[0].totalParams, 333_853);
  });
});
