#!/usr/bin/env node
// Drives the real VS Code workbench (code-server 4.100.3 + headless Chromium) with Playwright,
// the extension loaded in development mode. Runs the checks in test/ui/*.spec.mjs and prints
// `ui: N passed, N failed`. Screenshots go to the git-ignored test-artifacts/ui/.
//
// The exported helpers are the vocabulary for the specs: workbench, quick open, command palette,
// CodeLens, hover, webview. Selectors: /work/shared/notes/vscode-test-host.md.
//
// A spec module exports `tests`: [{ name, folder?, viewport?, settings?, timeoutMs?, run: async (ctx) => {} }]
// (`viewport`: the window's size, default 1400×900; set before the workbench opens, because a
// workbench resized later can be left scrolled inside the page, cutting off its edges)
// where ctx = { page, server, consoleLines, folder }. `folder` (absolute, default examples/) is
// copied to a temp dir and the copy is opened (ctx.folder): what a test types, saves or exports
// never reaches the repository, and the workbench runs with autosave off.
// Each test gets a fresh browser context (clean workbench state) on one shared code-server.
//
// Env: MODELLENS_UI_FILTER=substring selects tests by name; MODELLENS_TEST_VERBOSE=1 echoes the console.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ROOT, EXAMPLES_DIR, ARTIFACTS_DIR, workspaceCopy, startCodeServer, launchBrowser, remoteUri, workbenchUrl, consoleText, ensureDir, sleep,
} from './vscode-host.mjs';

export const UI_ARTIFACTS = path.join(ARTIFACTS_DIR, 'ui');
const VERBOSE = process.env.MODELLENS_TEST_VERBOSE === '1';
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget input';
const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** Fails with a message that says what was awaited (Playwright's own errors only name a selector). */
async function waitFor(locator, what, timeout = 60_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
  }
}

/**
 * Waits for a condition: re-checks `check` (sync or async) until it returns a value other than
 * undefined/false, and returns it. The timeout is a generous backstop that fails loudly with the
 * last value seen, not a speed assertion.
 */
export async function until(what, check, { timeout = 90_000, every = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last: ${last?.message ?? last})` : ''}`);
    await sleep(every);
  }
}

/**
 * Opens the workbench in a fresh browser context with the extension under development loaded
 * (payload: extensionDevelopmentPath as a vscode-remote URI on the page's own host:port).
 * Resolves once `.monaco-workbench` is visible. Returns { page, context, consoleLines }.
 */
export async function openWorkbench(browser, server, { folder = EXAMPLES_DIR, viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', async (msg) => {
    const text = await consoleText(msg);
    consoleLines.push(text);
    if (VERBOSE) console.log(`  [page] ${text}`);
  });
  page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
  const payload = [['extensionDevelopmentPath', remoteUri(server.port, ROOT)]];
  await page.goto(workbenchUrl(server.port, { folder, payload }));
  await waitFor(page.locator('.monaco-workbench'), 'the workbench (.monaco-workbench)', 60_000);
  return { page, context, consoleLines };
}

/** Saves a full-page screenshot to test-artifacts/ui/<name>.png and returns its path. */
export async function screenshot(page, name) {
  const file = path.join(ensureDir(UI_ARTIFACTS), `${slug(name)}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function closeQuickInput(page) {
  if (await page.locator(QUICK_INPUT).isVisible()) await page.keyboard.press('Escape');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

/** Focuses the editor area so workbench keybindings (Ctrl+P, F1) reach the workbench, not a widget. */
async function focusWorkbench(page) {
  await closeQuickInput(page);
  const editor = page.locator('.monaco-editor .view-lines').first();
  if (await editor.isVisible()) await editor.click();
  else await page.locator('.monaco-workbench .part.editor').click({ position: { x: 50, y: 50 } });
}

/**
 * Ctrl+P quick open: types `relPath` (relative to the opened folder), picks the first match, and
 * waits until an editor whose tab is `basename(relPath)` is active. Returns the editor locator.
 */
export async function quickOpen(page, relPath, { timeout = 90_000 } = {}) {
  const base = path.basename(relPath);
  const deadline = Date.now() + timeout;
  // The file index may not be ready on the first try: retry until a row for the file shows.
  for (;;) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+P');
    await waitFor(page.locator(QUICK_INPUT_BOX), 'the quick open input');
    await page.locator(QUICK_INPUT_BOX).fill(relPath);
    const row = page.locator(QUICK_ROWS).filter({ hasText: base }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: Math.max(1_000, Math.min(5_000, deadline - Date.now())) });
      await page.keyboard.press('Enter');
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`quick open found no file matching ${relPath}`);
    }
  }
  await waitFor(page.locator('.tabs-container .tab.active').filter({ hasText: base }), `an active editor tab "${base}"`);
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  await waitFor(editor.locator('.view-lines'), `the editor for ${relPath}`);
  return editor;
}

/**
 * F1 command palette filtered by `query`; returns the labels of the rows shown. Retries while the
 * list is empty, because contributed commands appear only once the extensions are registered.
 */
export async function commandPalette(page, query, { timeout = 90_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await focusWorkbench(page);
    await page.keyboard.press('F1');
    await waitFor(page.locator(QUICK_INPUT_BOX), 'the command palette input');
    await page.locator(QUICK_INPUT_BOX).fill(`>${query}`);
    // Before the development extension is registered the palette shows only "similar commands"
    // rows: wait for a row whose label matches the query (the filter applies as rows render), and
    // reopen the palette when none shows for a while (its list is built when it opens).
    const matching = page.locator(QUICK_ROWS).filter({ hasText: query });
    try {
      await matching.first().waitFor({ state: 'visible', timeout: Math.max(1_000, Math.min(10_000, deadline - Date.now())) });
      return (await page.locator(QUICK_ROWS).allInnerTexts()).map((t) => t.split('\n')[0].trim());
    } catch {
      if (Date.now() > deadline) return (await page.locator(QUICK_ROWS).allInnerTexts().catch(() => [])).map((t) => t.split('\n')[0].trim());
      await closeQuickInput(page);
    }
  }
}

/** Runs a command by its palette label, e.g. "ModelLens: Summarize Model". */
export async function runCommand(page, label, { timeout = 90_000 } = {}) {
  const labels = await commandPalette(page, label, { timeout });
  const i = labels.indexOf(label);
  if (i < 0) throw new Error(`command palette has no "${label}" (rows: ${JSON.stringify(labels)})`);
  await page.locator(QUICK_ROWS).nth(i).click();
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

/** Texts of the CodeLens items in the active editor, once at least one shows. */
export async function codeLensTexts(page, { timeout = 60_000 } = {}) {
  const lenses = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration');
  await waitFor(lenses, 'a CodeLens (.codelens-decoration)', timeout);
  return (await lenses.allInnerTexts()).map((t) => t.trim());
}

/** Clicks the CodeLens link whose text contains `text`. */
export async function clickCodeLens(page, text, { timeout = 60_000 } = {}) {
  const link = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a').filter({ hasText: text }).first();
  await waitFor(link, `a CodeLens "${text}"`, timeout);
  await link.click();
}

/** Moves the cursor of the active editor to a 1-based line and column (Ctrl+G "line:column"). */
export async function goToPosition(page, line, column = 1) {
  await focusWorkbench(page);
  await page.keyboard.press('Control+G');
  await waitFor(page.locator(QUICK_INPUT_BOX), 'the go-to-line input');
  await page.locator(QUICK_INPUT_BOX).fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

/**
 * Shows the editor hover at a 1-based line/column (keyboard: Ctrl+K Ctrl+I, so no mouse geometry)
 * and returns its text. Hover providers run asynchronously: waits until the text contains `expect`
 * when given.
 */
export async function hoverAt(page, line, column, { expect, timeout = 90_000 } = {}) {
  await goToPosition(page, line, column);
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    try {
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
      last = (await hover.innerText()).trim();
      if (last && (!expect || last.includes(expect))) return last;
    } catch { /* not shown yet: retry */ }
    if (Date.now() > deadline) throw new Error(`no hover${expect ? ` containing "${expect}"` : ''} at ${line}:${column} (last: ${JSON.stringify(last)})`);
    await page.keyboard.press('Escape');
    await hover.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
  }
}

/** Hovers the mouse over the first visible token whose text is `word` and returns the hover text. */
export async function hoverWord(page, word, { timeout = 30_000 } = {}) {
  const token = page.locator('.editor-group-container.active .view-line span span').filter({ hasText: new RegExp(`^${escapeRe(word)}$`) }).first();
  await waitFor(token, `a token "${word}" in the editor`, timeout);
  await token.hover();
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
  await waitFor(hover, `a hover over "${word}"`, timeout);
  return (await hover.innerText()).trim();
}

/** The content frame of the (first) webview: `iframe.webview` → `#active-frame`. */
export function webviewFrame(page, { index = 0 } = {}) {
  return page.frameLocator('iframe.webview').nth(index).frameLocator('#active-frame');
}

/** Waits for a webview whose content shows `selector` and returns the frame locator. */
export async function waitForWebview(page, selector = 'body', { timeout = 60_000, index = 0 } = {}) {
  const frame = webviewFrame(page, { index });
  await waitFor(frame.locator(selector), `webview content "${selector}"`, timeout);
  return frame;
}

/** Notification toasts currently shown (e.g. errors raised by a command). */
export async function notifications(page) {
  return (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((t) => t.trim());
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'shot';
}
function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Console lines that mean the extension itself broke, whatever the check looked at.
const EXTENSION_BROKE = /Activating extension '?modellens\.modellens'? failed|Cannot find module .*modellens/i;

async function withTimeout(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

async function loadSpecs() {
  const dir = path.join(ROOT, 'test', 'ui');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.spec.mjs')).sort() : [];
  const tests = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    if (!Array.isArray(mod.tests)) throw new Error(`test/ui/${f} does not export a \`tests\` array`);
    for (const t of mod.tests) tests.push({ ...t, file: f });
  }
  const filter = process.env.MODELLENS_UI_FILTER;
  return filter ? tests.filter((t) => t.name.includes(filter)) : tests;
}

async function main() {
  const t0 = Date.now();
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const mainFile = path.join(ROOT, manifest.main ?? 'dist/extension.js');
  let passed = 0;
  let failed = 0;
  let server;
  let browser;
  try {
    if (!fs.existsSync(mainFile)) throw new Error(`${path.relative(ROOT, mainFile)} (package.json "main") is missing: run \`npm run build\` first`);
    const tests = await loadSpecs();
    if (tests.length === 0) throw new Error('no UI tests found in test/ui/*.spec.mjs');
    server = await startCodeServer();
    console.log(`ui: code-server on ${server.origin} ready in ${server.readyMs} ms`);
    browser = await launchBrowser();

    for (const t of tests) {
      const started = Date.now();
      let session;
      const copy = workspaceCopy([t.folder ?? EXAMPLES_DIR]);
      try {
        const folder = copy.folders[0];
        session = await openWorkbench(browser, server, { folder, ...(t.viewport ? { viewport: t.viewport } : {}) });
        const ctx = { page: session.page, server, consoleLines: session.consoleLines, folder };
        await withTimeout(t.run(ctx), t.timeoutMs ?? 300_000, `"${t.name}"`);
        const broke = session.consoleLines.find((l) => EXTENSION_BROKE.test(l));
        if (broke) throw new Error(`the extension failed in the workbench: ${broke}`);
        await screenshot(session.page, t.name);
        passed++;
        console.log(`  ok   ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        let shot = '';
        if (session) shot = await screenshot(session.page, `${t.name}-failed`).then((f) => ` [${path.relative(ROOT, f)}]`).catch(() => '');
        console.log(`  FAIL ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)${shot}\n    ${String(e?.stack ?? e).split('\n').join('\n    ')}`);
        if (session && !VERBOSE) console.log(`    console (tail):\n${session.consoleLines.slice(-15).map((l) => `      | ${l}`).join('\n')}`);
      } finally {
        if (session) await session.context.close().catch(() => {});
        copy.remove();
      }
    }
  } catch (e) {
    failed++;
    console.error(`ui: ${e?.message ?? e}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
  }
  console.log(`ui: total ${((Date.now() - t0) / 1000).toFixed(1)} s, screenshots in ${path.relative(ROOT, UI_ARTIFACTS)}/`);
  console.log(`ui: ${passed} passed, ${failed} failed`);
  if (failed > 0 || passed === 0) process.exitCode = 1;
}

// Run only when executed directly: the specs import the helpers from this module. No top-level
// await here: a spec importing a module that is still evaluating asynchronously would deadlock.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => { console.error(e); console.log('ui: 0 passed, 1 failed'); process.exitCode = 1; });
}
