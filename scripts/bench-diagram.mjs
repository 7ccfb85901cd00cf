// Diagram benchmark in headless Chromium: a generated 1,000-layer ResNet-shaped model (residual
// branches, nested modules) goes through the real graph builder and the real webview bundle.
// Prints: message → first paint (the quick layout) and → ELK's layout on screen, with ELK in the
// worker and inline on the page thread, the longest main-thread block during each, and pan/zoom frame
// times over 60 wheel events. Figures only: no assertions on time (the target is < 500 ms).
import { buildBundle, launch, nodeSide, openDiagram, startServer } from '../test/browser/harness.mjs';

const LAYERS = Number(process.argv[2] ?? 1000);
const RUNS = 3;

buildBundle();
const side = await nodeSide();
const model = side.syntheticResNet(LAYERS);
const nested = side.buildDiagramGraph(model);
// The same model without its modules: no hierarchy for ELK to respect.
const flatModel = { ...model, layers: model.layers.map((r) => ({ ...r, parent: undefined, depth: 1 })).filter((r) => !r.container) };
const flat = side.buildDiagramGraph(flatModel);
const server = await startServer(side);
const browser = await launch();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x) => `${x.toFixed(0)} ms`;

async function paintRun(graph, layout) {
  const d = await openDiagram(browser, server.origin, { layout, width: 1280, height: 900 });
  // Long tasks on the page thread: how long the UI is frozen while the diagram is produced.
  await d.page.evaluate(() => {
    window.longest = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => (window.longest = Math.max(window.longest, e.duration)))).observe({ entryTypes: ['longtask'] });
  });
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    await d.page.evaluate(() => {
      performance.clearMarks();
      window.longest = 0;
    });
    await d.send({ type: 'update', graph });
    runs.push(
      await d.page.evaluate(() => {
        const t = (n) => performance.getEntriesByName(n).at(-1).startTime;
        // Below LARGE_GRAPH nodes on screen (a big model's repeated blocks folded as it opens) there
        // is no quick layout: ELK's layout is the first paint.
        const hasQuick = performance.getEntriesByName('ml-quick-paint').length > 0;
        const quick = hasQuick ? t('ml-quick-paint') - t('ml-message') : t('ml-paint') - t('ml-message');
        return { quick, hasQuick, total: t('ml-paint') - t('ml-message'), layout: t('ml-layout-end') - t('ml-layout-start'), draw: t('ml-paint') - t('ml-layout-end'), longest: window.longest, engine: window.modelLensDiagram.stats.engine, nodes: window.modelLensDiagram.stats.nodes, edges: window.modelLensDiagram.stats.edges };
      }),
    );
  }
  return { d, runs };
}

async function panZoom(d) {
  const page = d.page;
  await page.mouse.move(640, 450);
  await page.evaluate(() => {
    window.frames_ = [];
    let last = performance.now();
    const tick = (now) => {
      window.frames_.push(now - last);
      last = now;
      if (window.recording) requestAnimationFrame(tick);
    };
    window.recording = true;
    requestAnimationFrame(tick);
  });
  for (let i = 0; i < 60; i++) {
    await page.mouse.wheel(0, i % 20 < 10 ? -60 : 60);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  }
  for (let i = 0; i < 30; i++) await page.mouse.move(640 - i * 5, 450 - i * 3);
  const frames = await page.evaluate(() => {
    window.recording = false;
    return window.frames_.slice(1);
  });
  return { median: median(frames), p95: pct(frames, 0.95), max: Math.max(...frames), count: frames.length };
}

console.log(`diagram benchmark: ${LAYERS}-layer synthetic ResNet (${nested.nodes.length} nodes, ${nested.edges.length} edges, ${nested.groups.length} modules), Chromium headless, ${RUNS} runs each (first = cold)`);
for (const [label, graph] of [['nested modules', nested], ['flat (no modules)', flat]]) {
  for (const layout of ['worker', 'inline']) {
    const { d, runs } = await paintRun(graph, layout);
    const line = runs.map((r) => `first paint ${ms(r.quick)}${r.hasQuick ? '' : ` (ELK's: ${r.nodes} nodes on screen, no quick layout)`}, ELK paint ${ms(r.total)} (ELK ${ms(r.layout)} + draw ${ms(r.draw)}), longest page block ${ms(r.longest)}`).join('\n      ');
    console.log(`  ${label} · ELK ${layout === 'worker' ? 'in the worker' : 'on the page thread'}:\n      ${line}`);
    if (label === 'nested modules' && layout === 'worker') {
      const pz = await panZoom(d);
      console.log(`  pan/zoom (60 wheel events + 30 drags' worth of moves): frame time median ${pz.median.toFixed(1)} ms, p95 ${pz.p95.toFixed(1)} ms, max ${pz.max.toFixed(1)} ms over ${pz.count} frames`);
    }
    await d.page.close();
  }
}
await browser.close();
await server.close();
