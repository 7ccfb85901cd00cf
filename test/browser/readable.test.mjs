// Readable at first sight: the first view's text size on a big model, folded runs of identical
// blocks, the left-to-right layout, badges inside their nodes, and colours that keep red for errors.

const LEGIBLE_PX = 9;

/** Rendered font size (CSS px on screen) of every node label in view, and what is in view. */
async function textOnScreen(page) {
  return page.evaluate(() => {
    const stage = document.querySelector('.stage').getBoundingClientRect();
    const texts = [...document.querySelectorAll('svg.diagram .node text, svg.diagram .group-title')];
    const inView = texts.filter((t) => {
      const r = t.getBoundingClientRect();
      return r.right > stage.left && r.left < stage.right && r.bottom > stage.top && r.top < stage.bottom;
    });
    const k = Number(/scale\(([\d.]+)\)/.exec(document.querySelector('.world').style.transform)[1]);
    return {
      k,
      inView: inView.length,
      // The font size the label is drawn at times the zoom: what the eye gets.
      sizes: inView.map((t) => parseFloat(getComputedStyle(t).fontSize) * k),
      minimap: !document.querySelector('.minimap').hidden,
      inputInView: (() => {
        const n = document.querySelector('svg.diagram .node.kind-input');
        if (!n) return false;
        const r = n.getBoundingClientRect();
        return r.left >= stage.left && r.right <= stage.right && r.top >= stage.top && r.bottom <= stage.bottom;
      })(),
    };
  });
}

const boxOf = (el) => el.getBoundingClientRect().toJSON();

export default (test) => {
  test('a ResNet-50 opens readable: node labels at a legible size, starting at the input, minimap for the rest', async ({ assert, open, side, root, shot }) => {
    const fx = side.modelFixture(root, 'test/fixtures/models/resnet50.ts', 'ResNet50');
    // torchvision's resnet50(): 25,557,032 parameters.
    assert.equal(fx.summary.totalParams, 25_557_032);
    const d = await open({ width: 900, height: 700 });
    await d.send({ type: 'update', graph: fx.graph });
    const t = await textOnScreen(d.page);
    assert.ok(t.inView >= 6, `some labels in view (${t.inView})`);
    assert.ok(Math.min(...t.sizes) >= LEGIBLE_PX, `smallest label ${Math.min(...t.sizes).toFixed(2)}px at zoom ${t.k}`);
    assert.ok(t.inputInView, 'the input is on screen');
    assert.ok(t.minimap, 'the minimap shows the rest');
    await shot(d.page, 'resnet50-open');
    // Fitting the whole model would have made it unreadable: that is why it did not.
    const fitK = await d.page.evaluate(() => {
      document.querySelector('#ml-fit').click();
      return Number(/scale\(([\d.]+)\)/.exec(document.querySelector('.world').style.transform)[1]);
    });
    assert.ok(fitK * 11 < LEGIBLE_PX, `fit scale ${fitK}`);
    assert.deepEqual(d.problems, []);
  });

  test('a small model still opens fitted whole', async ({ assert, open, fixtures }) => {
    const d = await open({ width: 1100, height: 800 });
    await d.send({ type: 'update', graph: fixtures['simple-mlp'].graph });
    const t = await textOnScreen(d.page);
    const all = await d.page.evaluate(() => document.querySelectorAll('svg.diagram .node').length);
    const inside = await d.page.evaluate(() => {
      const s = document.querySelector('.stage').getBoundingClientRect();
      return [...document.querySelectorAll('svg.diagram .node')].every((n) => {
        const r = n.getBoundingClientRect();
        return r.left >= s.left && r.right <= s.right && r.top >= s.top && r.bottom <= s.bottom;
      });
    });
    assert.ok(inside, 'every node in view');
    assert.ok(all > 3);
    assert.ok(Math.min(...t.sizes) >= LEGIBLE_PX);
  });

  test('ResNet-50: the repeated bottlenecks of each stage are one ×N node with their total; it expands', async ({ assert, open, side, root, shot }) => {
    const fx = side.modelFixture(root, 'test/fixtures/models/resnet50.ts', 'ResNet50');
    const d = await open({ width: 1200, height: 900 });
    await d.send({ type: 'update', graph: fx.graph });
    const folded = await d.page.evaluate(() => [...document.querySelectorAll('svg.diagram .node.kind-group')].map((n) => ({ id: n.dataset.id, text: [...n.querySelectorAll('text')].map((t) => t.textContent) })));
    // Stages of 3, 4, 6 and 3 blocks: the first block of each differs (projection shortcut), the others repeat.
    assert.deepEqual(folded.map((f) => f.text[0]), ['▸ Bottleneck ×2', '▸ Bottleneck ×3', '▸ Bottleneck ×5', '▸ Bottleneck ×2']);
    // Totals from the analyzer's per-block rows (torchvision: layer3's blocks 1–5 hold 1,117,184 each).
    const rows = fx.summary.layers;
    for (const f of folded) {
      const g = fx.graph.groups.find((x) => x.id === f.id);
      const total = g.children.reduce((s, c) => s + rows[fx.graph.groups.find((x) => x.id === c).row].totalParams, 0);
      assert.ok(f.text[2].includes(`${total.toLocaleString('en-US')} params in all`), `${f.text.join(' | ')} vs ${total}`);
    }
    assert.ok(folded[2].text[2].includes('5,585,920 params in all'), folded[2].text.join(' | '));
    // Search steps to the folded run of layer3 (Enter reveals the match): the picture shows it.
    await d.page.fill('#ml-search', 'layer3.1');
    await d.page.press('#ml-search', 'Enter');
    await shot(d.page, 'resnet50-folded');
    await d.page.fill('#ml-search', '');
    // Double-click expands the run: its five blocks appear in a box marked ×5.
    const before = await d.page.evaluate(() => window.modelLensDiagram.stats.renders);
    // (Off screen at the readable first zoom: the event goes to the node directly.)
    await d.page.evaluate((id) => document.querySelector(`.node[data-id="${id}"] .node-box`).dispatchEvent(new MouseEvent('dblclick', { bubbles: true })), folded[2].id);
    await d.page.evaluate((n) => window.modelLensDiagram.waitForRender(n), before + 1);
    const groups = await d.page.evaluate(() => [...document.querySelectorAll('svg.diagram .group')].map((g) => ({ id: g.dataset.id, title: g.querySelector('.group-title').textContent })));
    const run = groups.find((g) => g.id === folded[2].id);
    assert.ok(run && run.title.startsWith('▾ Bottleneck ×5'), JSON.stringify(groups));
    for (const c of fx.graph.groups.find((x) => x.id === folded[2].id).children) assert.ok(groups.some((g) => g.id === c), `${c} drawn`);
    assert.deepEqual(d.problems, []);
  });

  test('left to right: inputs at the left, outputs at the right; the choice is kept', async ({ assert, show, shot }) => {
    const { page, rendered } = await show('functional.tfjs');
    await rendered(() => page.click('#ml-direction'));
    const r = await page.evaluate(() => {
      const box = (sel) => [...document.querySelectorAll(sel)].map((n) => n.getBoundingClientRect().toJSON());
      return { inputs: box('svg.diagram .node.kind-input'), outputs: box('svg.diagram .node.kind-output'), others: box('svg.diagram .node.kind-layer'), state: window.modelLensState(), label: document.querySelector('#ml-direction').textContent };
    });
    for (const i of r.inputs) assert.ok(r.others.every((o) => i.right <= o.left), 'inputs left of every layer');
    for (const o of r.outputs) assert.ok(r.others.every((x) => o.left >= x.right), 'outputs right of every layer');
    assert.equal(r.state.direction, 'RIGHT');
    assert.equal(r.label, 'Top to bottom');
    await shot(page, 'functional-left-to-right');
  });

  test('badges sit inside their nodes: no edge, other node or module border crosses them; text fits its pill', async ({ assert, show, fixtures, shot }) => {
    const fx = fixtures.resnet;
    // Badge texts as long as real ones (shape and mean), on every node, one disagreeing.
    const badges = fx.graph.nodes.filter((n) => n.row !== undefined).map((n, i) => ({ node: n.id, shape: n.shape, mean: '-0.1234', mismatch: i === 3, detail: '' }));
    const { page, problems } = await show('resnet');
    await page.evaluate((b) => window.postMessage({ type: 'forward', badges: b }, '*'), badges);
    await page.waitForSelector('svg.diagram .badge');
    await page.waitForFunction(() => window.modelLensPosted.filter((m) => m.type === 'rendered').at(-1)?.badges > 0);
    const g = await page.evaluate(() => {
      const box = (el) => el.getBoundingClientRect().toJSON();
      const edges = [...document.querySelectorAll('svg.diagram .edge')].map((p) => {
        const len = p.getTotalLength();
        const m = p.getScreenCTM();
        const pts = [];
        for (let s = 0; s <= len; s += 2) {
          const q = p.getPointAtLength(s).matrixTransform(m);
          pts.push({ x: q.x, y: q.y });
        }
        return { id: p.dataset.id, pts };
      });
      return {
        badges: [...document.querySelectorAll('svg.diagram .badge')].map((b) => ({ id: b.dataset.badge, pill: box(b.querySelector('rect')), text: box(b.querySelector('text')), node: box(document.querySelector(`svg.diagram .node[data-id="${b.dataset.badge}"] .node-box`)) })),
        nodes: [...document.querySelectorAll('svg.diagram .node')].map((n) => ({ id: n.dataset.id, box: box(n.querySelector('.node-box')) })),
        borders: [...document.querySelectorAll('svg.diagram .group-box')].map((r) => box(r)),
        edges,
      };
    });
    const inside = (a, b, eps = 0.5) => a.left >= b.left - eps && a.right <= b.right + eps && a.top >= b.top - eps && a.bottom <= b.bottom + eps;
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    assert.equal(g.badges.length, badges.length);
    for (const b of g.badges) {
      assert.ok(inside(b.pill, b.node), `${b.id}: pill inside its node`);
      assert.ok(inside(b.text, b.pill, 1), `${b.id}: text inside its pill`);
      for (const n of g.nodes) if (n.id !== b.id) assert.ok(!overlaps(b.pill, n.box), `${b.id} overlaps node ${n.id}`);
      for (const e of g.edges) assert.ok(!e.pts.some((p) => p.x > b.pill.left && p.x < b.pill.right && p.y > b.pill.top && p.y < b.pill.bottom), `${b.id} crossed by edge ${e.id}`);
      // A module border (the box's outline) never runs through a pill.
      for (const r of g.borders) {
        const crosses = overlaps(b.pill, r) && !inside(b.pill, r, 0) && !(b.pill.right <= r.left || b.pill.left >= r.right);
        assert.ok(!crosses, `${b.id} crossed by a module border`);
      }
    }
    assert.deepEqual(problems, []);
    await shot(page, 'resnet-badges-inside');
  });

  test('colours: merges (add, concatenate) and every layer family differ from the error colour', async ({ assert, show }) => {
    const { page } = await show('functional.tfjs');
    const c = await page.evaluate(() => {
      const probe = (value) => {
        const s = document.createElement('span');
        s.style.color = value;
        document.body.append(s);
        const out = getComputedStyle(s).color;
        s.remove();
        return out;
      };
      const families = ['input', 'output', 'linear', 'conv', 'pool', 'norm', 'activation', 'dropout', 'reshape', 'recurrent', 'attention', 'embedding', 'merge', 'wrapper', 'container', 'module', 'op'];
      return {
        error: probe('var(--ml-error)'),
        families: Object.fromEntries(families.map((f) => [f, probe(`var(--ml-${f})`)])),
        merge: [...document.querySelectorAll('svg.diagram .node.fam-merge .node-box')].map((r) => getComputedStyle(r).stroke),
      };
    });
    assert.ok(c.merge.length >= 1, 'functional.tfjs has a Concatenate');
    for (const s of c.merge) assert.notEqual(s, c.error);
    for (const [f, colour] of Object.entries(c.families)) assert.notEqual(colour, c.error, `${f} uses the error colour`);
  });
};

export const forwardButton = (test) => {
  test('the toolbar runs a forward pass of the diagram’s own model (the message names nothing else)', async ({ assert, show, posted }) => {
    const d = await show('simple-mlp');
    await d.page.click('#ml-run-forward');
    await d.page.waitForFunction(() => window.modelLensPosted.some((m) => m.type === 'runForward'));
    assert.deepEqual((await d.posted()).filter((m) => m.type === 'runForward'), [{ type: 'runForward' }]);
    assert.equal(typeof posted, 'undefined');
  });
};
