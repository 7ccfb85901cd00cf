// The browser side of the diagram tests and benchmark: bundles the webview, builds fixture
// graphs from the examples through the real analyzer, serves the diagram page from a tiny
// localhost server (under the panel's own Content-Security-Policy), and drives Debian's
// Chromium headless through playwright-core.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts/browser');
const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Runs scripts/build-diagram.mjs; throws when it fails. */
export function buildBundle() {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-diagram.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build-diagram failed');
}

/** The node-side helpers (analyzer, graph builder, page HTML), bundled once from TypeScript. */
export async function nodeSide() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const outfile = path.join(ARTIFACTS, 'node-side.cjs');
  await esbuild.build({
    stdin: {
      contents: `export { exampleFixtures, modelFixture } from './test/fixtures/graphs/generate';\nexport { syntheticResNet } from './test/fixtures/graphs/synthetic';\nexport { buildDiagramGraph, visibleGraph } from './src/core/graph';\nexport { diagramHtml } from './webview/diagram/page';`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, external: ['typescript', '@tensorflow/*'], logLevel: 'warning',
  });
  delete require.cache[outfile];
  return require(outfile);
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.json': 'application/json' };

/** Serves `/diagram.html` (the page) and the bundle, stylesheet and fixtures; 404 for anything else. */
export async function startServer(side) {
  const nonce = 'dGVzdC1ub25jZS0xMjM0';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = `http://127.0.0.1:${server.address().port}`;
    if (url.pathname === '/diagram.html') {
      const html = side.diagramHtml({
        cspSource: origin, nonce, css: `${origin}/media/diagram.css`, script: `${origin}/dist/webview/diagram.js`,
        layoutScript: `${origin}/dist/webview/diagram-layout-worker.js`, layout: url.searchParams.get('layout') === 'inline' ? 'inline' : 'worker',
      });
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(html);
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    const allowed = ['/dist/webview/', '/media/'];
    const file = path.join(ROOT, path.normalize(url.pathname));
    if (!allowed.some((p) => url.pathname.startsWith(p)) || !file.startsWith(ROOT) || !fs.existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * Opens the diagram page, records CSP violations and page errors, and returns helpers:
 * `send(msg)` delivers a host message the way VS Code does (a window message event) and waits
 * for the render it causes; `posted()` is what the page sent to the "extension".
 */
export async function openDiagram(browser, origin, { layout = 'worker', width = 1100, height = 800 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${origin}/diagram.html?layout=${layout}`);
  await page.waitForFunction(() => !!window.modelLensDiagram);
  const send = async (msg, { wait = true } = {}) => {
    const before = await page.evaluate(() => window.modelLensDiagram.stats.renders);
    await page.evaluate((m) => window.postMessage(m, '*'), msg);
    if (wait) await page.evaluate((n) => window.modelLensDiagram.waitForRender(n), before + 1);
  };
  const rendered = async (fn) => {
    const before = await page.evaluate(() => window.modelLensDiagram.stats.renders);
    await fn();
    return page.evaluate((n) => window.modelLensDiagram.waitForRender(n), before + 1);
  };
  const posted = () => page.evaluate(() => window.modelLensPosted);
  return { page, problems, send, rendered, posted };
}
