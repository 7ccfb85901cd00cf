// The diagram webview in headless Chromium, against graphs the real analyzer made from the examples.
import path from 'node:path';

/** Multiset of strings, for comparing label lists regardless of order. */
const sorted = (xs) => [...xs].sort();

async function dom(page) {
  return page.evaluate(() => ({
    nodes: [...document.querySelectorAll('svg.diagram .node')].map((n) => ({ id: n.dataset.id, kind: [...n.classList].find((c) => c.startsWith('kind-')), line: Number(n.dataset.line), box: n.getBoundingClientRect().toJSON() })),
    edges: [...document.querySelectorAll('svg.diagram .edge')].map((e) => ({ id: e.dataset.id, source: e.dataset.source, target: e.dataset.target })),
    labels: [...document.querySelectorAll('svg.diagram .edge-label')].map((t) => t.textContent),
    labelled: [...document.querySelectorAll('svg.diagram .edge-label')].map((l) => `${document.querySelector(`.edge[data-id="${l.dataset.edge}"]`).dataset.source} ${l.textContent}`),
    groups: [...document.querySelectorAll('svg.diagram .group')].map((g) => g.dataset.id),
    csp: window.cspViolations,
    stats: { ...window.modelLensDiagram.stats },
  }));
}

export default (test) => {
  test('resnet.ts: one node per graph node, one edge per graph edge, labelled with its shape, laid out in the worker', async ({ assert, show, shot }) => {
    const { page, problems, fx } = await show('resnet');
    const d = await dom(page);
    assert.equal(d.nodes.length, fx.graph.nodes.length);
    assert.equal(d.edges.length, fx.graph.edges.length);
    assert.deepEqual(sorted(d.nodes.map((n) => n.id)), sorted(fx.graph.nodes.map((n) => n.id)));
    // Each tensor's shape is written once at its producer, however many consumers it feeds.
    const expected = new Set(fx.graph.edges.map((e) => `${e.source} ${e.label}`));
    assert.deepEqual(sorted(d.labels), sorted([...expected].map((k) => k.slice(k.indexOf(' ') + 1))));
    assert.deepEqual(sorted(d.labelled), sorted([...expected]));
    // Shapes straight from the analyzer's rows (PyTorch-checked in the core tests): the stem's input and the head's output.
    assert.ok(d.labels.includes('[4, 3, 32, 32]'), 'model input shape on the first edge');
    assert.ok(d.labels.includes('[4, 10]'), 'output shape on the last edge');
    assert.deepEqual(sorted(d.groups), ['g11', 'g17', 'g3']);
    assert.equal(d.stats.engine, 'worker');
    assert.deepEqual(d.csp, []);
    assert.deepEqual(problems, []);
    await shot(page, 'resnet');
  });

  test('residual adds have two incoming edges, from the block body and the shortcut', async ({ assert, show, fixtures }) => {
    for (const key of ['resnet', 'resnet.tfjs']) {
      const { page, fx } = await show(key);
      const d = await dom(page);
      const adds = fx.graph.nodes.filter((n) => n.type === 'add' || n.type === 'Add');
      assert.equal(adds.length, 2, `${key} has two residual adds`);
      for (const add of adds) {
        const incoming = d.edges.filter((e) => e.target === add.id);
        assert.equal(incoming.length, 2, `${key} ${add.id} incoming`);
        const row = fx.summary.layers[add.row];
        assert.deepEqual(sorted(incoming.map((e) => e.source)), sorted(row.inputs.map((i) => `n${i}`)));
        assert.notEqual(incoming[0].source, incoming[1].source);
      }
      await page.close();
    }
    assert.ok(fixtures['resnet.tfjs']);
  });

  test('functional.tfjs.ts: two input nodes on top, two output nodes at the bottom, concatenate fed by both towers', async ({ assert, show, shot }) => {
    const { page, fx } = await show('functional.tfjs');
    const d = await dom(page);
    const inputs = d.nodes.filter((n) => n.kind === 'kind-input');
    const outputs = d.nodes.filter((n) => n.kind === 'kind-output');
    assert.equal(inputs.length, 2);
    assert.equal(outputs.length, 2);
    const others = d.nodes.filter((n) => n.kind !== 'kind-input' && n.kind !== 'kind-output');
    for (const i of inputs) assert.ok(others.every((o) => i.box.y < o.box.y), 'inputs above every layer');
    for (const o of outputs) assert.ok(others.every((x) => o.box.y > x.box.y), 'outputs below every layer');
    const concat = fx.graph.nodes.find((n) => n.type === 'Concatenate');
    assert.equal(d.edges.filter((e) => e.target === concat.id).length, 2);
    assert.ok(d.labels.includes('[None, 48]'), 'tfjs unknown batch printed as None');
    await shot(page, 'functional');
  });

  test('collapsing a module hides its children and reroutes its edges; expanding shows them again', async ({ assert, show, side }) => {
    const { page, fx, rendered } = await show('resnet');
    const layer1 = fx.graph.groups.find((g) => g.name === 'layer1');
    await rendered(() => page.click(`.group[data-id="${layer1.id}"] .group-title`));
    let d = await dom(page);
    const v = side.visibleGraph(fx.graph, new Set([layer1.id]));
    assert.equal(d.nodes.length, v.nodes.length);
    assert.equal(d.edges.length, v.edges.length);
    for (const child of layer1.children) assert.ok(!d.nodes.some((n) => n.id === child), `${child} hidden`);
    assert.ok(d.nodes.some((n) => n.id === layer1.id && n.kind === 'kind-group'), 'collapsed module drawn as one node');
    // The residual add's two inputs both come from outside the block into it now: merged into one edge ×2.
    const into = d.edges.filter((e) => e.target === layer1.id);
    assert.equal(into.length, 1);
    assert.ok(d.labels.some((l) => l.endsWith('×2')));
    await rendered(() => page.click(`.node[data-id="${layer1.id}"] [data-toggle]`));
    d = await dom(page);
    assert.equal(d.nodes.length, fx.graph.nodes.length);
    assert.equal(d.edges.length, fx.graph.edges.length);
    // Nested: collapsing layer2 hides its downsample Sequential as well.
    const layer2 = fx.graph.groups.find((g) => g.name === 'layer2');
    await rendered(() => page.click(`.group[data-id="${layer2.id}"] .group-title`));
    d = await dom(page);
    assert.deepEqual(d.groups, [layer1.id], 'layer2 and its nested downsample are no longer boxes');
    assert.ok(!d.nodes.some((n) => n.id === 'n18' || n.id === 'n19'));
    // Collapse all / expand all.
    await rendered(() => page.click('#ml-collapse-all'));
    d = await dom(page);
    assert.equal(d.nodes.filter((n) => n.kind === 'kind-group').length, 2);
    await rendered(() => page.click('#ml-expand-all'));
    assert.equal((await dom(page)).nodes.length, fx.graph.nodes.length);
  });

  test('neuron view of simple-mlp.ts: one column per layer, an ellipsis per wide layer', async ({ assert, show, shot }) => {
    const { page, fx, rendered } = await show('simple-mlp');
    await rendered(() => page.click('#ml-view-neurons'));
    const n = await page.evaluate(() => ({
      columns: [...document.querySelectorAll('.neuron-column')].map((c) => ({ units: Number(c.dataset.units), circles: c.querySelectorAll('.neuron').length, ellipsis: c.querySelectorAll('.ellipsis').length, count: c.querySelector('.ellipsis .count')?.textContent ?? null })),
    }));
    // 128 inputs → Linear(128, 516) → Linear(516, 516) → Linear(516, 1), as declared in examples/simple-mlp.ts.
    assert.deepEqual(n.columns.map((c) => c.units), [128, 516, 516, 1]);
    assert.equal(n.columns.filter((c) => c.ellipsis === 1).length, 3);
    assert.deepEqual(n.columns.map((c) => c.count), ['+122', '+510', '+510', null]);
    assert.equal(n.columns[3].circles, 1);
    assert.deepEqual(n.columns.map((c) => c.circles), fx.graph.neurons.columns.map((c) => c.shown.length));
    await shot(page, 'simple-mlp-neurons');
    await rendered(() => page.click('#ml-view-graph'));
    assert.equal((await dom(page)).nodes.length, fx.graph.nodes.length);
  });

  test('the neuron view is offered only for fully-connected chains', async ({ assert, show }) => {
    const { page } = await show('resnet');
    assert.equal(await page.isDisabled('#ml-view-neurons'), true);
    const mlp = await show('simple-mlp.tfjs');
    assert.equal(await mlp.page.isDisabled('#ml-view-neurons'), false);
  });

  test('export SVG: a valid standalone SVG with every node and its shapes', async ({ assert, show, posted }) => {
    const { page, fx } = await show('resnet');
    await page.click('#ml-export-svg');
    await page.waitForFunction(() => window.modelLensPosted.some((m) => m.type === 'export'));
    const msg = (await page.evaluate(() => window.modelLensPosted)).find((m) => m.type === 'export');
    assert.equal(msg.format, 'svg');
    const parsed = await page.evaluate((svg) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        ns: doc.documentElement.namespaceURI,
        nodes: doc.querySelectorAll('g[data-id^="n"], g[data-id^="in"], g[data-id^="out"]').length,
        edges: doc.querySelectorAll('path[data-id]').length,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
        classes: doc.querySelectorAll('[class]').length,
        width: Number(doc.documentElement.getAttribute('width')),
      };
    }, msg.data);
    assert.equal(parsed.error, null);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
    assert.equal(parsed.nodes, fx.graph.nodes.length);
    assert.equal(parsed.edges, fx.graph.edges.length);
    assert.ok(parsed.texts.includes('Conv2d') && parsed.texts.includes('[4, 16, 32, 32]'));
    assert.equal(parsed.classes, 0, 'styles inlined, no stylesheet classes left');
    assert.ok(parsed.width > 100);
    assert.equal(typeof posted, 'undefined');
  });

  test('export PNG: real PNG bytes with the diagram size', async ({ assert, show }) => {
    const { page } = await show('cnn');
    await page.click('#ml-export-png');
    await page.waitForFunction(() => window.modelLensPosted.some((m) => m.type === 'export'), null, { timeout: 20000 });
    const msg = (await page.evaluate(() => window.modelLensPosted)).find((m) => m.type === 'export');
    assert.equal(msg.format, 'png');
    const bytes = Buffer.from(msg.data, 'base64');
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    const svgSize = await page.evaluate(() => [Number(document.querySelector('svg.diagram').getAttribute('width')), Number(document.querySelector('svg.diagram').getAttribute('height'))]);
    assert.equal(width, svgSize[0] * 2);
    assert.equal(height, svgSize[1] * 2);
  });

  test('clicking a node posts reveal with its source line; the host highlight marks the node', async ({ assert, show }) => {
    const { page, fx, posted } = await show('resnet');
    const conv1 = fx.graph.nodes.find((n) => n.name === 'layer1.conv1');
    assert.equal(conv1.line, fx.summary.layers[conv1.row].line);
    await page.click(`.node[data-id="${conv1.id}"]`);
    const msgs = await posted();
    // layer1.conv1 is built in res-block.ts: the message names the node so the extension reveals it in that file.
    assert.ok(conv1.file.endsWith('res-block.ts'), conv1.file);
    assert.deepEqual(msgs.filter((m) => m.type === 'reveal'), [{ type: 'reveal', line: conv1.line, id: conv1.id }]);
    const stem = fx.graph.nodes.find((n) => n.name === 'stem');
    await page.click(`.node[data-id="${stem.id}"]`);
    assert.deepEqual((await posted()).filter((m) => m.type === 'reveal').at(-1), { type: 'reveal', line: stem.line });
    assert.deepEqual(msgs[0], { type: 'ready' });
    const fc = fx.graph.nodes.find((n) => n.name === 'fc');
    await page.evaluate((line) => window.postMessage({ type: 'highlight', line }, '*'), fc.line);
    await page.waitForSelector('.node.highlight');
    const lit = await page.evaluate(() => [...document.querySelectorAll('.highlight')].map((e) => e.dataset.id));
    // The cursor is in resnet.ts: res-block.ts's line 27 (layer2.downsample.0) is another line.
    assert.deepEqual(lit, fx.graph.nodes.filter((n) => n.line === fc.line && n.kind !== 'output' && n.file === undefined).map((n) => n.id));
    assert.deepEqual(lit, [fc.id]);
    await page.evaluate(() => window.postMessage({ type: 'highlight', line: null }, '*'));
    await page.waitForFunction(() => !document.querySelector('.highlight'));
  });

  test('pan, zoom, keyboard and fit move the view; a live update keeps it', async ({ assert, show }) => {
    const { page, fx, send } = await show('resnet');
    const transform = () => page.evaluate(() => document.querySelector('.world').style.transform);
    const t0 = await transform();
    await page.mouse.move(500, 400);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((t) => document.querySelector('.world').style.transform !== t, t0);
    const t1 = await transform();
    const scale = (t) => Number(/scale\(([\d.]+)\)/.exec(t)[1]);
    assert.ok(scale(t1) > scale(t0), `zoomed in: ${t0} → ${t1}`);
    await page.mouse.move(400, 400);
    await page.mouse.down();
    await page.mouse.move(300, 350, { steps: 5 });
    await page.mouse.up();
    const t2 = await transform();
    assert.notEqual(t2, t1, 'dragged');
    await page.focus('.stage');
    await page.keyboard.press('-');
    const t3 = await transform();
    assert.ok(scale(t3) < scale(t2), 'keyboard zoom out');
    await page.keyboard.press('ArrowLeft');
    assert.notEqual(await transform(), t3);
    // An edit arrives: same model, new graph; the viewport stays.
    const before = await transform();
    await send({ type: 'update', graph: fx.graph });
    assert.equal(await transform(), before);
    await page.click('#ml-fit');
    const fitted = await transform();
    assert.ok(scale(fitted) <= scale(t0), `fit shows the whole drawing (${t0} → ${fitted})`);
    const whole = await page.evaluate(() => {
      const s = document.querySelector('.stage').getBoundingClientRect();
      const r = document.querySelector('svg.diagram').getBoundingClientRect();
      return r.left >= s.left - 1 && r.right <= s.right + 1 && r.top >= s.top - 1 && r.bottom <= s.bottom + 1;
    });
    assert.ok(whole, 'every part of the drawing in view after fit');
    const state = await page.evaluate(() => window.modelLensState());
    assert.equal(state.model, 'ResNetTiny');
    assert.ok(state.viewport && state.viewport.k > 0);
  });

  test('state restored from getState: collapsed modules and viewport survive hide/show', async ({ assert, open, fixtures }) => {
    const fx = fixtures.resnet;
    const d = await open();
    await d.page.addInitScript(() => {
      const state = { model: 'ResNetTiny', viewport: { x: 40, y: -20, k: 0.75 }, collapsed: ['g11'], view: 'graph', search: '' };
      window.acquireVsCodeApi = () => ({ postMessage: () => {}, getState: () => state, setState: () => {} });
    });
    await d.page.reload();
    await d.page.waitForFunction(() => !!window.modelLensDiagram);
    await d.send({ type: 'update', graph: fx.graph });
    const r = await dom(d.page);
    assert.ok(r.nodes.some((n) => n.id === 'g11' && n.kind === 'kind-group'));
    assert.equal(await d.page.evaluate(() => document.querySelector('.world').style.transform), 'translate(40px, -20px) scale(0.75)');
  });

  test('search by name or type marks the matching nodes', async ({ assert, show }) => {
    const { page, fx } = await show('resnet');
    await page.fill('#ml-search', 'batchnorm');
    const marked = await page.evaluate(() => [...document.querySelectorAll('.node.match')].map((n) => n.dataset.id));
    assert.deepEqual(sorted(marked), sorted(fx.graph.nodes.filter((n) => n.type.toLowerCase().includes('batchnorm')).map((n) => n.id)));
    await page.fill('#ml-search', 'layer2.conv');
    const byName = await page.evaluate(() => [...document.querySelectorAll('.node.match')].map((n) => n.dataset.id));
    assert.deepEqual(sorted(byName), sorted(fx.graph.nodes.filter((n) => n.name.includes('layer2.conv')).map((n) => n.id)));
    assert.match(await page.textContent('.search-count'), /2 matches/);
  });

  test('hovering a node shows its details', async ({ assert, show }) => {
    const { page, fx } = await show('resnet');
    const stem = fx.graph.nodes.find((n) => n.name === 'stem');
    await page.hover(`.node[data-id="${stem.id}"] .node-box`);
    await page.waitForSelector('.tooltip:not([hidden])');
    const text = await page.textContent('.tooltip');
    for (const part of ['Conv2d', 'stem', '3×3, 16', '432', '[4, 3, 32, 32]', '[4, 16, 32, 32]', `line ${stem.line}`]) assert.ok(text.includes(part), `${part} in "${text}"`);
  });

  test('malformed host messages are ignored', async ({ assert, show }) => {
    const { page, problems, fx } = await show('resnet');
    const renders = await page.evaluate(() => window.modelLensDiagram.stats.renders);
    const reports = () => page.evaluate(() => window.modelLensPosted.filter((m) => m.type === 'rendered').length);
    const reported = await reports();
    await page.evaluate(() => {
      window.postMessage({ type: 'update', graph: { version: 1, model: {}, nodes: [], groups: [], edges: [{ source: 'x', target: 'y', label: '' }] } }, '*');
      window.postMessage({ type: 'update' }, '*');
      window.postMessage({ type: 'highlight', line: 'x' }, '*');
      window.postMessage('<img src=x onerror=alert(1)>', '*');
      // A valid marker last: messages are handled in order, so its report means all were seen.
      window.postMessage({ type: 'highlight', line: null }, '*');
    });
    await page.waitForFunction((n) => window.modelLensPosted.filter((m) => m.type === 'rendered').length > n, reported);
    assert.equal(await reports(), reported + 1, 'only the marker was acted on');
    assert.equal(await page.evaluate(() => window.modelLensDiagram.stats.renders), renders);
    assert.equal((await dom(page)).nodes.length, fx.graph.nodes.length);
    assert.deepEqual(problems, []);
  });

  test('layout falls back to the page thread when asked, with the same result', async ({ assert, show, fixtures }) => {
    const { page } = await show('resnet.tfjs', { layout: 'inline' });
    const d = await dom(page);
    assert.equal(d.stats.engine, 'inline');
    assert.equal(d.nodes.length, fixtures['resnet.tfjs'].graph.nodes.length);
    assert.deepEqual(d.csp, []);
  });

  test('screenshots of a CNN and a residual network (README pictures with MODELLENS_README_SHOTS=1)', async ({ assert, open, fixtures, root }) => {
    for (const [key, file] of [['cnn', 'cnn.png'], ['resnet', 'resnet.png']]) {
      // Uncropped at full size: a first page measures the drawing, a second one is made to hold it at 1:1.
      const probe = await open({ width: 1000, height: 800 });
      await probe.send({ type: 'update', graph: fixtures[key].graph });
      const drawing = await probe.page.evaluate(() => ({ w: Number(document.querySelector('svg.diagram').getAttribute('width')), h: Number(document.querySelector('svg.diagram').getAttribute('height')), bar: document.querySelector('.toolbar').getBoundingClientRect().height }));
      await probe.page.close();
      const d = await open({ width: Math.max(820, drawing.w + 40), height: Math.ceil(drawing.h + drawing.bar + 40) });
      await d.send({ type: 'update', graph: fixtures[key].graph });
      const k = await d.page.evaluate(() => Number(/scale\(([\d.]+)\)/.exec(document.querySelector('.world').style.transform)[1]));
      assert.equal(k, 1, `${key} drawn at 1:1`);
      // Test artifacts by default; MODELLENS_README_SHOTS=1 refreshes the committed README pictures.
      const dir = process.env.MODELLENS_README_SHOTS ? path.join(root, 'media/screenshots') : path.join(root, 'test-artifacts/browser');
      (await import('node:fs')).mkdirSync(dir, { recursive: true });
      const out = path.join(dir, file);
      await d.page.screenshot({ path: out });
      assert.ok((await import('node:fs')).statSync(out).size > 10_000);
    }
  });
};

export const big = (test) => {
  test('a 1,000-layer model: quick layout first, then ELK from the worker, every node drawn', async ({ assert, open, side }) => {
    const graph = side.buildDiagramGraph(side.syntheticResNet(1000));
    const d = await open();
    await d.send({ type: 'update', graph });
    // It opens with its repeated blocks folded; expanded, every node is drawn.
    await d.rendered(() => d.page.click('#ml-expand-all'));
    const r = await d.page.evaluate(() => ({ stats: { ...window.modelLensDiagram.stats }, nodes: document.querySelectorAll('svg.diagram .node').length, edges: document.querySelectorAll('svg.diagram .edge').length, minimap: !document.querySelector('.minimap').hidden }));
    assert.equal(r.nodes, graph.nodes.length);
    assert.equal(r.edges, graph.edges.length);
    assert.equal(r.stats.error, undefined);
    assert.equal(r.stats.engine, 'worker');
    assert.ok(r.stats.firstPaintMs > 0 && r.stats.firstPaintMs < r.stats.totalMs, JSON.stringify(r.stats));
    assert.ok(r.minimap, 'minimap shown for a large graph');
    assert.deepEqual(d.problems, []);
  });
};
