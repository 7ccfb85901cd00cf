/**
 * Seeded reproducibility for TensorFlow.js models: their layers are built by tfjs's own
 * (unseeded) initializers before the runtime reseeds the weights, so two passes with the same
 * seed must still give identical activations. (runtime.test.ts covers a PyTorch-shaped model.)
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { ForwardResult, runForwardPass } from '../../src/runtime';

const ROOT = path.resolve(__dirname, '../../..');
const withoutTimes = (r: ForwardResult) => r.layers.map(({ ms: _ms, ...rest }) => rest);

describe('runtime: seeded tfjs models', function () {
  this.timeout(60_000);
  for (const file of ['cnn.tfjs.ts', 'simple-mlp.tfjs.ts']) {
    it(`${file}: the same seed gives the same activations, another seed differs`, async () => {
      const f = path.join(ROOT, 'examples', file);
      const [m] = analyzeSource(f, fs.readFileSync(f, 'utf8')).models;
      const a = await runForwardPass(m, { seed: 5, batch: 2 });
      const b = await runForwardPass(m, { seed: 5, batch: 2 });
      const c = await runForwardPass(m, { seed: 6, batch: 2 });
      assert.deepStrictEqual(a.outputPreview, b.outputPreview);
      assert.deepStrictEqual(withoutTimes(a), withoutTimes(b));
      assert.notDeepStrictEqual(a.outputPreview, c.outputPreview);
    });
  }
});
