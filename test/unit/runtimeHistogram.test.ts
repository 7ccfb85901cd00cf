/**
 * The per-layer activation histogram the summary panel draws: numpy.histogram's binning
 * (expected counts computed with numpy 1.24 under /usr/bin/python3), and the runtime attaching
 * one histogram per layer that accounts for every value of the layer's output.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { runForwardPass } from '../../src/runtime';
import { HISTOGRAM_BINS, histogram } from '../../src/runtime/histogram';

const ROOT = path.resolve(__dirname, '../../..');

describe('runtime: activation histograms', function () {
  this.timeout(60_000);

  it('bins like numpy.histogram(x, bins=12, range=(x.min(), x.max()))', () => {
    // np.histogram(np.array([-2.5,-1,-1,0,0,0,0.1,0.2,0.5,0.99,1.0,3.0,3.0,7.25], dtype=np.float32), 12, range=(min, max))
    const a = Float32Array.from([-2.5, -1, -1, 0, 0, 0, 0.1, 0.2, 0.5, 0.99, 1.0, 3.0, 3.0, 7.25]);
    assert.deepStrictEqual(histogram(a, -2.5, 7.25), [1, 2, 0, 6, 2, 0, 2, 0, 0, 0, 0, 1]);
    // A ReLU of np.linspace(-1, 1, 101, dtype=np.float32): 55 zeros then an even spread.
    const b = Float32Array.from({ length: 101 }, (_, i) => Math.max(0, Math.fround(-1 + (2 * i) / 100)));
    assert.deepStrictEqual(histogram(b, 0, 1), [55, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 5]);
    // A constant output: numpy puts everything in the middle bin.
    assert.deepStrictEqual(histogram([2, 2, 2], 2, 2), [0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0]);
    assert.strictEqual(HISTOGRAM_BINS, 12);
  });

  it('every layer of a real pass carries 12 bins holding all of its output values', async () => {
    const file = path.join(ROOT, 'examples', 'simple-mlp.ts');
    const [m] = analyzeSource(file, fs.readFileSync(file, 'utf8')).models;
    const r = await runForwardPass(m, { backend: 'wasm', seed: 0 });
    assert.strictEqual(r.layers.length, 5);
    for (const l of r.layers) {
      assert.ok(l.histogram, `${l.name} has no histogram`);
      assert.strictEqual(l.histogram.length, HISTOGRAM_BINS);
      const n = l.outputShape.reduce((a, b) => a * b, 1);
      assert.strictEqual(l.histogram.reduce((a, b) => a + b, 0), n, `${l.name}: ${l.histogram}`);
    }
    // relu1's minimum is 0, so its first bin holds (at least) all of its zeros, about half the values.
    const relu = r.layers.find((l) => l.name === 'relu1')!;
    assert.strictEqual(relu.min, 0);
    assert.ok(relu.histogram![0] >= Math.round(relu.zeroFraction * 64 * 516), `${relu.histogram} vs zeros ${relu.zeroFraction}`);
  });
});
