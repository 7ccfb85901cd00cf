// Browser tests of the diagram webview: test/browser/*.test.mjs against the real bundle in
// headless Chromium. Each test file exports functions `(test) => { test(name, async (ctx) => …) }`.
// Ends with `browser: N passed, N failed`; exits non-zero on any failure or when nothing ran.
// An optional argument filters tests by name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ARTIFACTS, ROOT, buildBundle, launch, nodeSide, openDiagram, startServer } from '../test/browser/harness.mjs';

const filter = process.argv[2];
const TIMEOUT_MS = 90_000;
let passed = 0;
let failed = 0;
let browser;
let server;

function finish(code) {
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(code ?? (failed || !passed ? 1 : 0));
}

try {
  buildBundle();
  const side = await nodeSide();
  const fixtures = side.exampleFixtures(ROOT);
  server = await startServer(side);
  browser = await launch();
  fs.mkdirSync(ARTIFACTS, { recursive: true });

  const tests = [];
  const dir = path.join(ROOT, 'test/browser');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.test.mjs')).sort()) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    for (const register of Object.values(mod)) if (typeof register === 'function') register((name, fn) => tests.push({ name: `${f.replace('.test.mjs', '')}: ${name}`, fn }));
  }
  const ctx = {
    assert, fixtures, side, root: ROOT, artifacts: ARTIFACTS,
    open: (opts) => openDiagram(browser, server.origin, opts),
    /** Sends a fixture graph and waits for it to be drawn. */
    async show(key, opts) {
      const fx = fixtures[key];
      if (!fx) throw new Error(`no fixture ${key} (have: ${Object.keys(fixtures).join(', ')})`);
      const d = await ctx.open(opts);
      await d.send({ type: 'update', graph: fx.graph });
      return { ...d, fx };
    },
    shot: (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) }),
  };
  for (const t of tests) {
    if (filter && !t.name.includes(filter)) continue;
    const started = Date.now();
    let timer;
    try {
      await Promise.race([t.fn(ctx), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS)))]);
      passed++;
      console.log(`  ✓ ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${t.name}\n      ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n      ')}`);
    } finally {
      clearTimeout(timer);
      for (const ctxPage of browser.contexts().flatMap((c) => c.pages())) await ctxPage.close().catch(() => {});
    }
  }
} catch (e) {
  failed++;
  console.log(`browser tests could not run: ${e?.stack ?? e}`);
} finally {
  await browser?.close().catch(() => {});
  await server?.close();
}
finish();
