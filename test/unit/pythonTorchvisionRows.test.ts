import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';

/**
 * torchvision 0.14's own `models/*.py` (read at test time from the installed python3-torchvision),
 * analysed statically, against the same models built and run by real PyTorch now
 * (test/fixtures/python/torchvision_rows.py): the factory functions users call (`resnet18()`,
 * `swin_t()`, `weights=None`) and the classes PyTorch can build bare. A model is exact when its
 * totals, its root's class, and every module of `named_modules()` agree: the row's class, the
 * parameters under it and its first call's output shape (forward hooks, on a batch of 2). A `?`
 * (a total or a shape) must say why; a definite number PyTorch contradicts is wrong, and there
 * must be none.
 */

const PYTHON = '/usr/bin/python3';
const ROOT = path.resolve(__dirname, '../../..');
const ROWS_TRUTH = path.join(ROOT, 'test', 'fixtures', 'python', 'torchvision_rows.py');
const TORCHVISION = '/usr/lib/python3/dist-packages/torchvision/models';
const SKIP = new Set(['__init__.py', '_api.py', '_meta.py', '_utils.py', 'feature_extraction.py']);

/** [class name, parameters under it, first output shape or null (never called)] by dotted name ('' is the root). */
interface ModelTruth {
  kind: 'function' | 'class';
  type?: string;
  total?: number;
  trainable?: number;
  modules?: Record<string, [string, number, number[] | null]>;
  error?: string;
}

type Verdict = { verdict: 'exact' | 'unknown' | 'wrong'; why: string[] };

/** The input each model is run on: Inception-v3 wants 299 × 299, the rest ImageNet's 224. */
function inputOf(module: string): number[] {
  return module === 'inception' ? [2, 3, 299, 299] : [2, 3, 224, 224];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** ModelLens's rows of one model against PyTorch's modules. */
function judge(m: ModelSummary, t: ModelTruth): Verdict {
  const wrong: string[] = [];
  const unknown: string[] = [];
  if (t.total === undefined) {
    // PyTorch cannot build it bare (required arguments): ModelLens must not give a number.
    return m.totalParams === null ? { verdict: 'unknown', why: [m.totalsUnknownReason ?? 'no reason given'] } : { verdict: 'wrong', why: [`a total ${m.totalParams}, PyTorch: ${t.error}`] };
  }
  if (m.totalParams === null) return { verdict: 'unknown', why: [m.totalsUnknownReason ?? 'no reason given'] };
  if (m.totalParams !== t.total || m.trainableParams !== t.trainable) wrong.push(`totals ${m.totalParams}/${m.trainableParams}, PyTorch ${t.total}/${t.trainable}`);
  if ((m.moduleType ?? m.name) !== t.type) wrong.push(`root class ${m.moduleType ?? m.name}, PyTorch ${t.type}`);
  const first = new Map<string, ModelSummary['layers'][number]>();
  for (const r of m.layers) if (!r.op && r.family !== 'input' && !first.has(r.name)) first.set(r.name, r);
  for (const [name, [type, count, shape]] of Object.entries(t.modules ?? {})) {
    if (name === '') {
      if (m.outputShape === null) unknown.push(`output: ${m.outputUnknownReason ?? 'no reason given'}`);
      else if (!same(m.outputShape, shape)) wrong.push(`output ${JSON.stringify(m.outputShape)}, PyTorch ${JSON.stringify(shape)}`);
      continue;
    }
    const r = first.get(name);
    if (!r) {
      // A module inside a layer ModelLens shows as one row (nn.MultiheadAttention's out_proj).
      const parent = first.get(name.slice(0, name.lastIndexOf('.')));
      if (!parent || parent.container) wrong.push(`no row for ${name} (${type})`);
      continue;
    }
    if (r.type !== type) wrong.push(`${name}: ${r.type}, PyTorch ${type}`);
    if (r.totalParams !== count) wrong.push(`${name}: ${r.totalParams} parameters, PyTorch ${count}`);
    const got = r.notCalled ? null : r.outputShape;
    if (got === null && shape !== null && !r.notCalled) unknown.push(`${name}: ${r.unknownReason ?? 'no reason given'}`);
    else if (!same(got, shape)) wrong.push(`${name}: output ${JSON.stringify(got)}, PyTorch ${JSON.stringify(shape)}`);
  }
  for (const name of first.keys()) if (!(name in (t.modules ?? {}))) wrong.push(`a row ${name} PyTorch does not have`);
  if (wrong.length) return { verdict: 'wrong', why: wrong };
  return unknown.length ? { verdict: 'unknown', why: unknown } : { verdict: 'exact', why: [] };
}

describe('torchvision models, every row against real PyTorch (forward hooks on named_modules)', () => {
  it('the factory functions and the classes PyTorch builds bare: no wrong total, row or shape; the exact ones counted', function () {
    this.timeout(900_000);
    assert.ok(fs.existsSync(TORCHVISION), 'python3-torchvision is not installed (apt-get install python3-torchvision)');
    const files = fs.readdirSync(TORCHVISION).filter((f) => f.endsWith('.py') && !SKIP.has(f)).sort();
    const found: { key: string; module: string; m: ModelSummary }[] = [];
    for (const f of files) {
      const module = f.replace(/\.py$/, '');
      clearAnalysisCache();
      const text = fs.readFileSync(path.join(TORCHVISION, f), 'utf8');
      for (const m of analyzeSource(path.join(TORCHVISION, f), text, { roots: [path.dirname(TORCHVISION)], inputShapes: [inputOf(module)] }).models) found.push({ key: `${module}.${m.name}`, module, m });
    }
    const r = spawnSync(PYTHON, [ROWS_TRUTH], { input: JSON.stringify(found.map((x) => [x.module, x.m.name, inputOf(x.module)])), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.strictEqual(r.status, 0, `${PYTHON} ${ROWS_TRUTH} failed (is python3-torchvision installed?):\n${r.stderr}`);
    const truth = JSON.parse(r.stdout) as Record<string, ModelTruth>;
    const tally = { function: { exact: 0, unknown: 0, wrong: 0 }, class: { exact: 0, unknown: 0, wrong: 0 } };
    const wrong: string[] = [];
    const unknown: string[] = [];
    for (const { key, m } of found) {
      const t = truth[key];
      // Two classes whose forward takes more than the image (maxvit's WindowPartition): totals only.
      const v = t.error?.startsWith('forward: TypeError') && t.total !== undefined ? judge(m, { ...t, modules: undefined }) : judge(m, t);
      tally[t.kind][v.verdict]++;
      if (v.verdict === 'wrong') wrong.push(`${key}: ${v.why.slice(0, 5).join(' | ')}`);
      if (v.verdict === 'unknown') unknown.push(`${key}: ${v.why[0]}${v.why.length > 1 ? ` (and ${v.why.length - 1} more)` : ''}`);
    }
    const line = (k: 'function' | 'class') => `${tally[k].exact} exact, ${tally[k].unknown} ?, ${tally[k].wrong} wrong`;
    console.log(`      torchvision factory functions: ${line('function')}; classes: ${line('class')}`);
    if (process.env.MODELLENS_VERBOSE) for (const u of unknown) console.log(`        ? ${u}`);
    assert.deepStrictEqual(wrong, [], 'a definite number PyTorch contradicts');
    for (const u of unknown) assert.doesNotMatch(u, /no reason given/, u);
    assert.ok(tally.function.exact + tally.function.unknown >= 80, `only ${tally.function.exact + tally.function.unknown} factory functions found`);
    // What this work reached: a drop means a regression.
    assert.ok(tally.function.exact >= 79, `only ${tally.function.exact} factory functions exact`);
    assert.ok(tally.class.exact >= 8, `only ${tally.class.exact} classes exact`);
  });
});
