// Injection payloads in the real diagram webview and its SVG export: names, types, shapes and
// details that are markdown links and images, HTML with event handlers, `</script>`, control
// characters, bidi overrides and a 20,000-character name. Whatever the graph holds, the page
// gains no element or attribute from it (no img/script/a/iframe/foreignObject, no on* handler, no
// CSP violation, nothing run), shows the strings as text, keeps long names bounded, and the SVG
// export parses as XML with the payload only as text.

/** Payloads a cloned repository could put in layer names, model names or config strings. */
const PAYLOADS = {
  markdown: 'md [link](https://evil.example/x) ![img](https://evil.example/i.png)',
  img: '<img src=x onerror="window.__pwned=1">',
  script: '</script><script>window.__pwned=2</script>',
  svg: '<svg onload="window.__pwned=3"><a href="javascript:window.__pwned=4">a</a></svg>',
  attr: '" onmouseover="window.__pwned=5" x="',
  entity: '&lt;b&gt; &amp; ]]> <!-- -->',
  control: 'ctl\u0000\u0007\u001b[31m\u0085\u2028end',
  bidi: 'bidi\u202Eevil\u202C\u2066x\u2069',
};
const LONG = 'W'.repeat(20_000);
/** Characters that must never reach the screen or the export as themselves. */
const RAW_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Elements a payload could smuggle in: none may appear (the page's own are counted before). */
const ACTIVE = ['img', 'script', 'a', 'iframe', 'object', 'embed', 'foreignObject', 'image', 'use', 'animate', 'set', 'style', 'link', 'meta', 'base', 'form'];

/** Puts a payload into every string field of the graph: model name, node/group names, types, hyper-parameters, details, shapes, edge labels. */
function poisoned(graph) {
  const g = structuredClone(graph);
  const values = [...Object.values(PAYLOADS), LONG];
  let i = 0;
  const next = () => values[i++ % values.length];
  g.model.name = `${PAYLOADS.img}${PAYLOADS.script}`;
  for (const item of [...g.nodes, ...g.groups]) {
    item.name = next();
    item.type = next();
    item.hyper = next();
    item.shape = next();
    if ('kind' in item) item.detail = next();
  }
  for (const e of g.edges) e.label = next();
  // The first layer node holds the long name, so the bound is checked on a drawn node.
  const first = g.nodes.find((n) => n.kind === 'layer');
  first.name = LONG;
  first.type = PAYLOADS.img;
  return { graph: g, first };
}

/** The same payloads through the host's own path: a ModelSummary's strings → buildDiagramGraph. */
function poisonedSummary(summary) {
  const s = structuredClone(summary);
  const values = [...Object.values(PAYLOADS), LONG];
  s.name = PAYLOADS.markdown;
  s.layers.forEach((l, k) => {
    l.name = values[k % values.length];
    l.type = values[(k + 3) % values.length];
    if (l.hyper !== undefined) l.hyper = values[(k + 5) % values.length];
    if (l.formula !== undefined) l.formula = values[(k + 1) % values.length];
  });
  s.layers[0].name = LONG;
  return s;
}

/** What the page holds now: element counts by tag, on* attributes, raw control characters in shown text, the longest text line. */
function inspect(page) {
  return page.evaluate(({ active, controls }) => {
    const all = [...document.querySelectorAll('*')];
    const counts = Object.fromEntries(active.map((t) => [t, all.filter((e) => e.localName === t || e.localName === t.toLowerCase()).length]));
    const handlers = all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value) || /evil\.example/.test(a.value)).map((a) => `${e.localName}[${a.name}=${a.value.slice(0, 60)}]`));
    const shown = [...document.querySelectorAll('svg.diagram text, svg.diagram tspan, .tooltip, #ml-title, .title, h1')].map((e) => e.textContent ?? '');
    const re = new RegExp(controls);
    return {
      counts,
      handlers,
      pwned: window.__pwned ?? null,
      csp: window.cspViolations,
      text: [...document.querySelectorAll('svg.diagram text')].map((t) => t.textContent ?? ''),
      rawControls: shown.filter((t) => re.test(t)).map((t) => JSON.stringify(t.slice(0, 80))),
      longest: Math.max(0, ...[...document.querySelectorAll('svg.diagram text, svg.diagram tspan')].map((t) => (t.textContent ?? '').length)),
      widest: Math.max(0, ...[...document.querySelectorAll('svg.diagram .node .node-box')].map((b) => b.getBoundingClientRect().width / (document.querySelector('svg.diagram').getScreenCTM()?.a || 1))),
    };
  }, { active: ACTIVE, controls: RAW_CONTROLS.source });
}

/** The exported SVG, parsed as XML in the page: parse error, active elements, handler and link attributes, texts. */
async function exportedSvg(page) {
  const before = (await page.evaluate(() => window.modelLensPosted.filter((m) => m.type === 'export').length));
  await page.click('#ml-export-svg');
  await page.waitForFunction((n) => window.modelLensPosted.filter((m) => m.type === 'export').length > n, before);
  const msg = (await page.evaluate(() => window.modelLensPosted.filter((m) => m.type === 'export'))).at(-1);
  const parsed = await page.evaluate(({ svg, active }) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const all = [...doc.querySelectorAll('*')];
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.localName,
      active: all.filter((e) => active.some((t) => e.localName === t || e.localName === t.toLowerCase())).map((e) => e.localName),
      attrs: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || /href$/i.test(a.name) || /javascript:|evil\.example/i.test(a.value)).map((a) => `${e.localName}[${a.name}]`)),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      processing: [...doc.childNodes].filter((n) => n.nodeType === 7 || n.nodeType === 8).length + all.flatMap((e) => [...e.childNodes]).filter((n) => n.nodeType === 4 || n.nodeType === 7 || n.nodeType === 8).length,
    };
  }, { svg: msg.data, active: ACTIVE });
  return { svg: msg.data, parsed };
}

export default (test) => {
  for (const [how, make] of [
    ['a graph with payloads in every string, sent as is (the webview escapes on its own)', (fx, side) => poisoned(fx.graph).graph],
    ['a model whose names, types and details are payloads, through the host\'s graph builder', (fx, side) => side.buildDiagramGraph(poisonedSummary(fx.summary))],
  ]) {
    test(`injection: ${how}: no element or handler from the payload, text shown as text, long names bounded, SVG export inert XML`, async ({ assert, open, fixtures, side }) => {
      const fx = fixtures.resnet;
      const d = await open();
      // The page's own elements, from a benign graph: the payload must add none.
      await d.send({ type: 'update', graph: fx.graph });
      const baseline = await inspect(d.page);
      const graph = make(fx, side);
      await d.send({ type: 'update', graph });
      const got = await inspect(d.page);

      assert.deepEqual(got.counts, baseline.counts, 'elements appeared from the payload');
      assert.deepEqual(got.handlers, [], 'attributes from the payload');
      assert.equal(got.pwned, null, 'a payload ran');
      assert.deepEqual(got.csp, [], 'CSP violations (something tried to load or run)');
      assert.deepEqual(d.problems, []);
      assert.equal(got.text.length >= baseline.text.length / 2, true, 'the diagram was drawn');
      // Shown as text: the markup characters are visible, the markdown is not rendered.
      const shown = got.text.join('\n');
      assert.ok(shown.includes('<img src=x onerror='), `no literal <img …> text in:\n${shown.slice(0, 400)}`);
      assert.ok(shown.includes('[link](https://evil.example/x)'), 'the markdown link is shown as text');
      assert.deepEqual(got.rawControls, [], 'control characters or bidi overrides shown as themselves');
      // Bounded: no text line holds the 20,000-character name, and no node is absurdly wide.
      // (names are cut to 200 characters; hyper-parameters, details and shapes to 1,000, plus " · N params")
      assert.ok(got.longest > 100 && got.longest <= 1_100, `longest text line ${got.longest} characters`);
      // A node is as wide as its longest line: at most ~1,012 characters (before the webview bounded
      // what it receives, a 20,000-character name made a node 264,825 px wide).
      assert.ok(got.widest > 0 && got.widest < 12_000, `widest node ${Math.round(got.widest)} px`);

      // Hovering the long-named node: the tooltip adds nothing active either.
      const target = graph.nodes.find((n) => n.kind === 'layer');
      // (an event, as the pointer gives it: the node may be wider than the view, so not 'visible' to page.hover)
      await d.page.locator(`.node[data-id="${target.id}"] .node-box`).dispatchEvent('pointerover', { bubbles: true });
      await d.page.waitForSelector('.tooltip:not([hidden])');
      const hovered = await inspect(d.page);
      assert.deepEqual(hovered.counts, baseline.counts, 'the tooltip gained elements');
      assert.deepEqual(hovered.handlers, []);
      assert.deepEqual(hovered.rawControls, []);
      const tip = await d.page.textContent('.tooltip');
      assert.ok(tip.length < 6_000, `tooltip of ${tip.length} characters`);

      // The SVG export: strict XML, nothing active, the payload only as text.
      const { svg, parsed } = await exportedSvg(d.page);
      assert.equal(parsed.error, null, 'the exported SVG is not well-formed XML');
      assert.equal(parsed.root, 'svg');
      assert.deepEqual(parsed.active, [], 'active elements in the export');
      assert.deepEqual(parsed.attrs, [], 'handler or link attributes in the export');
      assert.equal(parsed.processing, 0, 'comments, CDATA or processing instructions from the payload');
      assert.ok(parsed.texts.some((t) => t.includes('<img src=x onerror=')), 'the payload is in the export as text');
      assert.equal(RAW_CONTROLS.test(svg), false, 'raw control characters in the export');
      assert.ok(svg.length < 400_000, `export of ${svg.length} characters`);
      assert.equal(await d.page.evaluate(() => window.__pwned ?? null), null);
    });
  }
};
