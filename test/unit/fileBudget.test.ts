import * as assert from 'assert';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import { DEFAULT_FILE_LIMITS, FileBudget, FileBudgetExceeded } from '../../src/core/framework/budget';
import type { FileSummary, ModelSummary } from '../../src/core/summary';

/**
 * One budget per file — interpreter steps, wall time and native work together — over all its
 * models and the files it imports. Past it, what was finished stays exact and the rest is `?`
 * with the reason. The files are generated pathological inputs; the counts expected for the
 * finished models are PyTorch's nn.Linear formula, in_features × out_features + out_features.
 */

const MAIN = '/virtual/main.ts';

function analyze(text: string, options: Parameters<typeof analyzeSource>[2] = {}, files: Record<string, string> = {}): FileSummary {
  clearAnalysisCache();
  return analyzeSource(MAIN, text, { host: { readFile: (p) => files[p] }, ...options });
}

/** `n` small classes, each holding the previous one (every ninth starts a new chain): about 40 KB for 200. */
function manyClasses(n: number): string {
  let s = "import * as nn from 'torch/nn';\n";
  for (let i = 0; i < n; i++) {
    const nested = i % 9 !== 0;
    s += `/** @inputShape [2, 8] */\nexport class Block${i} extends nn.Module {\n${nested ? `  prev = new Block${i - 1}();\n` : ''}  fc = new nn.Linear(8, 8);\n  act = new nn.ReLU();\n  forward(x) {\n    ${nested ? 'x = this.prev(x);\n    ' : ''}return this.act(this.fc(x));\n  }\n}\n`;
  }
  return s;
}

/** Block i holds (i mod 9) + 1 Linear(8, 8) layers: 72 parameters each. */
const expectedParams = (i: number) => ((i % 9) + 1) * (8 * 8 + 8);

function budgetDiagnostics(r: FileSummary): string[] {
  return [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.code === 'budget').map((d) => d.message);
}

describe('a budget per file', () => {
  it('a 40 KB file of hundreds of small classes: exact within the default budget', () => {
    const text = manyClasses(200);
    assert.ok(text.length > 40_000, `${text.length} bytes`);
    const r = analyze(text);
    assert.strictEqual(r.models.length, 200);
    r.models.forEach((m, i) => assert.strictEqual(m.totalParams, expectedParams(i), m.name));
    assert.deepStrictEqual(budgetDiagnostics(r), []);
  });

  it('past the file budget: the models finished are exact, the rest ? with the reason, one notice at the top', () => {
    const r = analyze(manyClasses(200), { fileLimits: { steps: 3_000 } });
    assert.strictEqual(r.models.length, 200, 'every model is still listed');
    const finished = r.models.filter((m) => m.totalParams !== null);
    const stopped = r.models.filter((m) => m.totalParams === null);
    assert.ok(finished.length > 0 && stopped.length > 0, `${finished.length} finished, ${stopped.length} stopped`);
    for (const m of finished) assert.strictEqual(m.totalParams, expectedParams(Number(m.name.slice(5))), m.name);
    // Finished ones come first: the budget is spent in file order.
    assert.ok(r.models.findIndex((m) => m.totalParams === null) >= finished.length - 1);
    for (const m of stopped) assert.ok(m.diagnostics.some((d) => d.code === 'budget' && /3,000 steps over all its models/.test(d.message)), `${m.name}: ${JSON.stringify(m.diagnostics)}`);
    assert.strictEqual(r.diagnostics[0].code, 'budget');
    assert.match(r.diagnostics[0].message, /stopped analyzing this file early/);
  });

  it('native work counts: a = a.concat(a) in a loop stops at the budget, not at an allocation failure', () => {
    const r = analyze(`import * as nn from 'torch/nn';
/** @inputShape [2, 4] */
export class Grows extends nn.Module {
  fc = new nn.Linear(4, 3);
  forward(x) {
    let a = [1];
    for (let i = 0; i < 60; i++) a = a.concat(a);
    return this.fc(x);
  }
}
`);
    const m = r.models[0];
    assert.strictEqual(m.totalParams, 4 * 3 + 3, 'its construction finished: the parameters are exact');
    assert.strictEqual(m.outputShape, null, 'its forward pass did not: the output shape is unknown');
    assert.ok(budgetDiagnostics(r).some((d) => /built-ins would create more than 10,000,000 elements/.test(d)), JSON.stringify(r.diagnostics));
    assert.ok(![...r.diagnostics, ...m.diagnostics].some((d) => d.code === 'internal'), JSON.stringify(r));
  });

  it('native work counts: spreads, string doubling and huge Array.from / new Array end in bounded work', () => {
    const layerCount = (body: string): ModelSummary =>
      analyze(`import * as nn from 'torch/nn';
export class Big extends nn.Module {
  layers = (() => { ${body} })();
  fc = new nn.Linear(4, 3);
}
`).models[0];
    for (const body of [
      'let a = [1]; for (let i = 0; i < 60; i++) a = [...a, ...a]; return a;',
      "let s = 'x'; for (let i = 0; i < 60; i++) s = s + s; return s;",
      'return Array.from({ length: 1e9 }, (_, i) => i);',
      'return new Array(1e9).fill(0);',
      'const a = []; for (let i = 0; i < 1e9; i++) a.push(i, i, i, i); return a;',
    ]) {
      const m = layerCount(body);
      assert.ok(m, body);
      // Whatever the body evaluates to, it makes no layer: the Linear is known or the totals are `?`, never a wrong number.
      assert.ok(m.totalParams === 15 || m.totalParams === null, `${body}: ${m.totalParams}`);
      assert.ok(!m.diagnostics.some((d) => d.code === 'internal'), `${body}: ${JSON.stringify(m.diagnostics)}`);
    }
  });

  it('parsing an imported file counts against the budget', () => {
    const lib = (k: number) => `export const W${k} = 8;\n// ${'x'.repeat(200_000)}\n`;
    const files: Record<string, string> = {};
    let imports = '';
    let fields = '';
    for (let k = 0; k < 8; k++) {
      files[`/virtual/lib${k}.ts`] = lib(k);
      imports += `import { W${k} } from './lib${k}';\n`;
      fields += `  fc${k} = new nn.Linear(W${k}, 8);\n`;
    }
    const text = `import * as nn from 'torch/nn';\n${imports}export class Wide extends nn.Module {\n${fields}}\n`;
    assert.strictEqual(analyze(text, {}, files).models[0].totalParams, 8 * 72, 'within the default budget: exact');
    const r = analyze(text, { fileLimits: { units: 1_000_000 } }, files);
    assert.strictEqual(r.models[0].totalParams, null);
    assert.ok(budgetDiagnostics(r).some((d) => /built-ins would create more than 1,000,000 elements/.test(d)), JSON.stringify(budgetDiagnostics(r)));
  });

  it('wall time counts: a file over its time budget stops with the reason', () => {
    // 300,000 steps in one model take far longer than 1 ms on any machine.
    const r = analyze(`import * as nn from 'torch/nn';
export class Slow extends nn.Module {
  n = (() => { let t = 0; for (let i = 0; i < 9000; i++) for (let j = 0; j < 9000; j++) t += j; return t; })();
  fc = new nn.Linear(4, 3);
}
`, { budget: 10_000_000, fileLimits: { ms: 1 } });
    assert.strictEqual(r.models[0].totalParams, null);
    assert.ok(budgetDiagnostics(r).some((d) => /0\.001 s over all its models/.test(d)), JSON.stringify(budgetDiagnostics(r)));
  });

  it('a cancel flag set by another thread stops the analysis at the next check', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(flag, 0, 1);
    const r = analyze(manyClasses(30), { cancel: flag });
    assert.ok(r.models.every((m) => m.totalParams === null));
    assert.ok(budgetDiagnostics(r).some((d) => /cancelled/.test(d)));
    // The budget object itself: once out, every later check throws the same reason.
    const b = new FileBudget({ ...DEFAULT_FILE_LIMITS, units: 10 });
    assert.throws(() => b.charge(11), FileBudgetExceeded);
    assert.throws(() => b.step(), (e: unknown) => e instanceof FileBudgetExceeded && /10 elements/.test(e.why));
  });
});
