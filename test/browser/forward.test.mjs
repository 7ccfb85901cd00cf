// Forward-pass badges in the diagram webview (headless Chromium). The badges come from real
// sample forward passes (TensorFlow.js in the runtime's worker thread, CPU backend) of the
// examples, turned into the panel's message by the extension's own code (diagramBadges): the
// actual shapes are tfjs's, not the analyzer's. A disagreement is produced the honest way: the
// static summary is given a wrong output shape (as an analyzer bug would) and the real pass,
// run on it, reports the finding.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
let loaded;

/** runForwardPass (src/runtime) and diagramBadges (src/extension/diagramForward.ts), bundled from source. */
async function forwardSide(root, artifacts) {
  if (loaded) return loaded;
  const outfile = path.join(artifacts, 'forward-side.cjs');
  await esbuild.build({
    stdin: { contents: `export { runForwardPass } from './src/runtime';\nexport { diagramBadges } from './src/extension/diagramForward';`, resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, external: ['typescript', '@tensorflow/*', 'vscode'], logLevel: 'warning',
  });
  // The worker the extension ships (scripts/build.mjs → build-runtime); without it nothing here can run.
  const workerPath = path.join(root, 'dist', 'forward-worker.js');
  if (!fs.existsSync(workerPath)) throw new Error(`${workerPath} is missing: run node scripts/build.mjs first`);
  delete require.cache[outfile];
  const mod = require(outfile);
  loaded = { ...mod, run: (summary) => mod.runForwardPass(summary, { backend: 'cpu', seed: 0, workerPath, timeoutMs: 60_000 }) };
  return loaded;
}

const shapeText = (s) => `[${s.join(', ')}]`;

async function badgeDom(page) {
  return page.evaluate(() => ({
    badges: [...document.querySelectorAll('svg.diagram .badge')].map((b) => ({
      id: b.dataset.badge,
      text: b.querySelector('text').textContent,
      mismatch: b.classList.contains('mismatch'),
      stroke: getComputedStyle(b.querySelector('rect')).stroke,
      inNode: (() => {
        const n = document.querySelector(`svg.diagram [data-id="${b.dataset.badge}"] .node-box`)?.getBoundingClientRect();
        const r = b.getBoundingClientRect();
        return !!n && r.left >= n.left && r.right <= n.right && r.top >= n.top && r.bottom <= n.bottom;
      })(),
    })),
    redNodes: [...document.querySelectorAll('svg.diagram .forward-mismatch')].map((n) => n.dataset.id),
    redNodeStroke: (() => {
      const r = document.querySelector('svg.diagram .forward-mismatch .node-box');
      return r ? getComputedStyle(r).stroke : null;
    })(),
    errorColour: (() => {
      // What --ml-error resolves to in this theme, as a computed colour.
      const probe = document.createElement('span');
      probe.style.color = 'var(--ml-error)';
      document.body.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    })(),
    csp: window.cspViolations,
  }));
}

const lastRendered = (page) => page.evaluate(() => [...window.modelLensPosted].reverse().find((m) => m.type === 'rendered'));

export default (test) => {
  test('badges from a real forward pass of resnet.ts: actual shape and mean on every layer that ran, none red', async ({ assert, show, fixtures, root, artifacts, shot }) => {
    const side = await forwardSide(root, artifacts);
    const fx = fixtures.resnet;
    const result = await side.run(fx.summary);
    assert.deepEqual(result.findings, [], 'static analysis and tfjs agree on resnet.ts');
    const badges = side.diagramBadges(fx.summary, result);
    assert.equal(badges.length, result.layers.length);

    const { page, problems, send } = await show('resnet');
    // Until the render the badges cause has reported (its report follows the frame that painted them).
    await send({ type: 'forward', badges });
    const d = await badgeDom(page);
    // One pill per layer/op tfjs ran, on the node of the same summary row.
    assert.deepEqual(d.badges.map((b) => b.id).sort(), result.layers.map((l) => `n${l.id}`).sort());
    for (const l of result.layers) {
      const b = d.badges.find((x) => x.id === `n${l.id}`);
      assert.ok(b.text.startsWith(shapeText(l.outputShape)), `${l.name}: "${b.text}" shows tfjs's shape ${shapeText(l.outputShape)}`);
      assert.ok(b.text.includes(' · μ '), b.text);
      assert.equal(b.mismatch, false);
      assert.ok(b.inNode, `${l.name}: badge inside its node`);
    }
    // tfjs's shapes for the stem and the head, as PyTorch gives them at batch 4 (test/fixtures/examples/torch-expected.json).
    const byName = (name) => d.badges.find((b) => b.id === `n${result.layers.find((l) => l.name === name).id}`).text;
    assert.ok(byName('stem').startsWith('[4, 16, 32, 32]'));
    assert.ok(byName('fc').startsWith('[4, 10]'));
    assert.deepEqual(d.redNodes, []);
    assert.deepEqual(d.csp, []);
    assert.deepEqual(problems, []);
    const report = await lastRendered(page);
    assert.equal(report.badges, result.layers.length);
    assert.equal(report.mismatches, 0);
    // A live update (same graph) keeps the badges; the extension clears them with null after an edit.
    await send({ type: 'update', graph: fx.graph });
    assert.equal((await badgeDom(page)).badges.length, result.layers.length);
    await shot(page, 'resnet-forward-badges');
    await send({ type: 'forward', badges: null });
    assert.equal((await badgeDom(page)).badges.length, 0);
    assert.equal((await lastRendered(page)).badges, 0);
  });

  test('a disagreement between static analysis and the real pass is red: badge, node box, hover, collapsed module', async ({ assert, show, fixtures, root, artifacts, shot }) => {
    const side = await forwardSide(root, artifacts);
    const fx = fixtures.resnet;
    // As if the analyzer had got layer1.conv2's output wrong: 17 channels instead of 16.
    const summary = structuredClone(fx.summary);
    const row = summary.layers.find((r) => r.name === 'layer1.conv2');
    assert.deepEqual(row.outputShape, [4, 16, 32, 32]);
    row.outputShape = [4, 17, 32, 32];
    const result = await side.run(summary);
    assert.deepEqual(result.findings.map((f) => f.id), [row.id], JSON.stringify(result.findings));
    const badges = side.diagramBadges(summary, result);
    assert.deepEqual(badges.filter((b) => b.mismatch).map((b) => b.node), [`n${row.id}`]);

    const { page, problems, rendered, send } = await show('resnet');
    await send({ type: 'forward', badges });
    let d = await badgeDom(page);
    const red = d.badges.filter((b) => b.mismatch);
    assert.deepEqual(red.map((b) => b.id), [`n${row.id}`]);
    // The real pass's shape (tfjs: what PyTorch gives too), not the wrong static one.
    assert.ok(red[0].text.startsWith('[4, 16, 32, 32]'), red[0].text);
    assert.equal(red[0].stroke, d.errorColour);
    assert.deepEqual(d.redNodes, [`n${row.id}`]);
    assert.equal(d.redNodeStroke, d.errorColour);
    assert.notEqual(d.badges.find((b) => !b.mismatch).stroke, d.errorColour);
    assert.equal((await lastRendered(page)).mismatches, 1);

    // The hover carries the finding.
    await page.hover(`.node[data-id="n${row.id}"]`);
    await page.waitForSelector('.tooltip:not([hidden]) .forward.mismatch');
    const tip = await page.textContent('.tooltip');
    assert.ok(tip.includes('actual output') && tip.includes('[4, 16, 32, 32]'), tip);
    assert.ok(tip.includes(result.findings[0].message), tip);
    await shot(page, 'resnet-forward-mismatch');

    // Collapsing layer1 hides the node: the module's box says it hides a disagreement.
    const layer1 = fx.graph.groups.find((g) => g.name === 'layer1');
    await rendered(() => page.click(`.group[data-id="${layer1.id}"] .group-title`));
    d = await badgeDom(page);
    const onGroup = d.badges.find((b) => b.id === layer1.id);
    assert.ok(onGroup && onGroup.mismatch, JSON.stringify(d.badges));
    assert.equal(onGroup.text, '✗ 1 disagrees');
    assert.deepEqual(d.redNodes, [layer1.id]);
    assert.deepEqual(problems, []);
  });

  test('the exported SVG carries the badges; malformed forward messages are ignored', async ({ assert, show, fixtures, root, artifacts }) => {
    const side = await forwardSide(root, artifacts);
    const fx = fixtures['simple-mlp.tfjs'];
    const result = await side.run(fx.summary);
    assert.deepEqual(result.findings, []);
    const badges = side.diagramBadges(fx.summary, result);
    const { page, problems } = await show('simple-mlp.tfjs');
    await page.evaluate((b) => window.postMessage({ type: 'forward', badges: b }, '*'), badges);
    await page.waitForSelector('svg.diagram .badge');
    const before = (await badgeDom(page)).badges;
    // tfjs sequential at the runtime's default batch: Dense(516) gives [batch, 516].
    assert.ok(before.some((b) => b.text.startsWith(`[${result.inputShape[0]}, 516]`)), JSON.stringify(before.map((b) => b.text)));
    const reports = () => page.evaluate(() => window.modelLensPosted.filter((m) => m.type === 'rendered').length);
    const reported = await reports();
    await page.evaluate((good) => {
      const bad = [
        { type: 'forward', badges: [{ ...good, node: '"><script>alert(1)</script>' }] },
        { type: 'forward', badges: [{ ...good, mismatch: 'yes' }] },
        { type: 'forward', badges: [{ node: good.node }] },
        { type: 'forward', badges: 'none' },
        { type: 'forward' },
      ];
      for (const m of bad) window.postMessage(m, '*');
      // A marker after them: window messages are delivered in order, so once it has arrived every
      // bad message before it has been handled (or dropped).
      window.postMessage({ type: 'highlight', line: null }, '*');
    }, badges[0]);
    await page.waitForFunction((n) => window.modelLensPosted.filter((m) => m.type === 'rendered').length > n, reported);
    assert.equal(await reports(), reported + 1, 'only the marker was acted on');
    assert.deepEqual((await badgeDom(page)).badges, before);

    await page.click('#ml-export-svg');
    await page.waitForFunction(() => window.modelLensPosted.some((m) => m.type === 'export'));
    const svg = (await page.evaluate(() => window.modelLensPosted)).find((m) => m.type === 'export').data;
    for (const b of before) assert.ok(svg.includes(b.text.replace(/&/g, '&amp;')), `export has "${b.text}"`);
    assert.deepEqual(problems, []);
  });
};
