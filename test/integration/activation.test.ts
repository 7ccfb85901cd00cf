// Runs first (file order): activation must stay light, with the analyzer and the webview code
// loaded only when needed.
import * as assert from 'assert';
import { activate } from './helpers';

describe('activation', () => {
  it('loads neither the analyzer, the forward pass, TensorFlow.js nor the webview bundle', async () => {
    const t0 = Date.now();
    const ext = await activate();
    const ms = Date.now() - t0;
    console.log(`modellens activation took ${ms} ms`);
    assert.strictEqual(ext.isActive, true);
    const loaded = Object.keys(require.cache);
    const ours = loaded.filter((k) => k.startsWith(ext.extensionPath));
    assert.ok(ours.some((k) => k.endsWith('dist/extension.js')), `dist/extension.js not among loaded modules: ${ours.join(', ')}`);
    // Nor the forward-pass command (dist/forwardPass.js) or its worker: they load on the first run.
    assert.deepStrictEqual(ours.filter((k) => /coreApi\.js$|forwardPass\.js$|forward-worker|[\\/]webview[\\/]|@tensorflow/.test(k)), []);
  });
});
