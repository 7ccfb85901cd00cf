// Only real models are models: a file gets models (lenses, diagnostics) only with evidence that a
// neural-network library is in use (src/core/lang/ts/evidence.ts). The whole-node_modules check
// is scripts/run-nonml-corpus.mjs, a suite step of its own.
import * as assert from 'assert';
import { analyzeSource } from '../../src/core/analyze';
import type { AnalyzerHost } from '../../src/core/analyzerHost';
import { isMlPackage, usesScriptGlobal } from '../../src/core/lang/ts/evidence';

const TORCH_BODY = `/** @inputShape [2, 3] */
export class Net extends nn.Module { fc = new nn.Linear(3, 4); forward(x) { return this.fc.forward(x); } }`;
const TFJS_BODY = `export const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] })] });`;

function files(map: Record<string, string>): AnalyzerHost {
  return { readFile: (p) => map[p] };
}
const count = (file: string, text: string, host: AnalyzerHost = files({})) => {
  const s = analyzeSource(file, text, { host });
  return { models: s.models.length, diagnostics: s.diagnostics.length };
};

describe('only real models are models', () => {
  it('knows the ML packages and nothing else', () => {
    for (const p of ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-layers/dist/x', 'js-pytorch', 'torch']) assert.ok(isMlPackage(p), p);
    for (const p of ['x', 'module', 'torchlight', 'my-tfjs-helpers', './js-pytorch', 'react', '@types/node']) assert.ok(!isMlPackage(p), p);
  });

  it('a non-ML file that extends Module or calls sequential() has no model and no diagnostic', () => {
    const cases = [
      `import { Module } from 'framework';\nclass Store extends Module { x = new Linear(3, 4); forward(x) { return x; } }`,
      `import * as nn from 'x';\n${TORCH_BODY}`,
      `const tf = { sequential() {} , layers: { dense() {} } };\n${TFJS_BODY}`,
      `import { sequential } from 'async-tools';\nexport const m = sequential([a, b]);`,
      `class Broken extends nn.Module { fc = new nn.Linear(3, ; }`, // a syntax error in a non-ML file: nothing to say
      `const torch = require('./torch-light');\nclass A extends torch.nn.Module {}`,
    ];
    for (const text of cases) assert.deepStrictEqual(count('/w/a.ts', text), { models: 0, diagnostics: 0 }, text);
  });

  it('an import of an ML package is evidence: value, type-only, require, dynamic import, reference types', () => {
    const torch = [`import { nn } from 'js-pytorch';`, `import type { Tensor } from 'js-pytorch';\ndeclare const nn: any;`, `const { nn } = require('js-pytorch');`, `const lib = import('torch');`, `/// <reference types="js-pytorch" />`];
    for (const head of torch) assert.strictEqual(count('/w/a.ts', `${head}\n${TORCH_BODY}`).models, 1, head);
    for (const head of [`import * as tf from '@tensorflow/tfjs';`, `import * as tf from '@tensorflow/tfjs-node';`]) assert.strictEqual(count('/w/a.ts', `${head}\n${TFJS_BODY}`).models, 1, head);
  });

  it("the script-tag globals tf and torch are evidence when the file doesn't declare them", () => {
    assert.strictEqual(count('/w/a.js', TFJS_BODY).models, 1);
    assert.ok(usesScriptGlobal('const m = torch.nn.Linear(3, 4);'));
    assert.ok(!usesScriptGlobal('const tf = makeTransform(); tf.apply(x);'));
    assert.ok(!usesScriptGlobal('function f(tf) { return tf.sequential(); }'));
    assert.ok(!usesScriptGlobal('this.tf.sequential(); a.torch.x;'));
  });

  it('a workspace module that leads to an ML package is evidence: a .d.ts shim, a re-export chain', () => {
    const shim = files({ '/w/js-pytorch.d.ts': `declare module 'js-pytorch' { export const nn: any; }` });
    assert.strictEqual(count('/w/a.ts', `import { nn } from './js-pytorch';\n${TORCH_BODY}`, shim).models, 1);
    const chain = files({ '/w/lib/index.ts': `export * from './layers';`, '/w/lib/layers.ts': `export { nn } from 'js-pytorch';` });
    assert.strictEqual(count('/w/a.ts', `import { nn } from './lib';\n${TORCH_BODY}`, chain).models, 1);
    const plain = files({ '/w/lib/index.ts': `export class Module {}`, '/w/js-pytorch.ts': `export const nn = {};` });
    assert.strictEqual(count('/w/a.ts', `import { nn } from './lib';\n${TORCH_BODY}`, plain).models, 0);
    assert.strictEqual(count('/w/b.ts', `import { nn } from './js-pytorch';\n${TORCH_BODY}`, plain).models, 0, 'a name is not evidence; content is');
  });

  it('an import cycle or a long chain ends (bounded reads)', () => {
    const map: Record<string, string> = { '/w/a0.ts': `import './a1';` };
    for (let i = 1; i < 100; i++) map[`/w/a${i}.ts`] = `import './a${i + 1}'; import './a${i - 1}';`;
    map['/w/a100.ts'] = `import 'js-pytorch';`;
    let reads = 0;
    const host: AnalyzerHost = { readFile: (p) => (reads++, map[p]) };
    assert.strictEqual(count('/w/main.ts', `import './a0';\n${TORCH_BODY}`, host).models, 0, 'evidence 100 files away is not followed');
    assert.ok(reads < 300, `${reads} reads`);
  });

  it('the examples all have their evidence', () => {
    // examples/*.ts import js-pytorch or @tensorflow/tfjs; examplesTruth checks every count.
    const fs = require('fs') as typeof import('fs');
    const path = require('path') as typeof import('path');
    const dir = path.resolve(__dirname, '..', '..', '..', 'examples');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts'))) {
      const file = path.join(dir, f);
      assert.ok(analyzeSource(file, fs.readFileSync(file, 'utf8')).models.length >= 1, f);
    }
  });
});
