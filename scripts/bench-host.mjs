#!/usr/bin/env node
// Runs the extension benchmark (out/test/bench/index.js, compiled by tsc from test/bench/) inside a
// real VS Code extension host, offline: code-server 4.100.3 + headless Chromium, the same way
// scripts/run-integration.mjs runs the integration suites (vscode-host.mjs has the helpers).
//
// Every session is a fresh server, browser context and extension host, and first opens a model
// file of its workspace (TypeScript or Python) → its first lens (activation included), so that
// figure is one per session; sessions 1 and 2 then time the diagram's tab shown again and edits →
// refreshed lenses in a 5,000-line file (see plan() below). Expects `tsc` output in out/ and the
// bundle in dist/.
//
//   node scripts/bench-host.mjs [--sessions 4] [--edits 15] [--json <file>] [--first-lens-only [--language typescript|python|both]]
//
// --first-lens-only: every session only opens a model file → first lens (the quick check while
// working on start-up; prints where each window's time went): a TypeScript one unless --language
// says otherwise ('both' alternates).
//
// --json writes every figure (raw samples included) for scripts/bench-all.mjs; without it a short
// report is printed. Exit code 1 when any session fails. Env: MODELLENS_TEST_VERBOSE=1 echoes the
// workbench console; MODELLENS_BENCH_TIMEOUT_MS (default 180000) bounds one session.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startCodeServer, launchBrowser, remoteUri, workbenchUrl, consoleText } from './vscode-host.mjs';

const ENTRY = path.join(ROOT, 'out', 'test', 'bench', 'index.js');
const SOURCES = ['test/bench/index.ts', 'test/bench/lenses.bench.ts'].map((f) => path.join(ROOT, f));
const TIMEOUT_MS = Number(process.env.MODELLENS_BENCH_TIMEOUT_MS ?? 180_000);
const VERBOSE = process.env.MODELLENS_TEST_VERBOSE === '1';
const NO_HOST = 'No extension host found';
/**
 * The editor's own waits before an edit's lenses are painted, in the bench's window: VS Code asks
 * the CodeLens providers again a debounce after the change, and updates the lenses on screen a
 * second debounce after their answer (its "resolve" step; every edit restarts both). In a
 * development-host window, which the bench's is, each is fixed at 1.5 × its 250 ms minimum
 * (LanguageFeatureDebounceService: "is disabled in developed mode"); in a user's window each is
 * learned from the providers' times and is at least 250 ms. No extension can shorten them.
 */
const EDITOR_LENS_DEBOUNCES_MS = 2 * 375;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** Files under `dir` (recursively) whose path matches `test`. */
function walk(dir, test, found = []) {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return found; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, test, found);
    else if (test(p)) found.push(p);
  }
  return found;
}

/**
 * The extension's own account of activate(): extension.ts logs `activated in N ms` to its
 * 'ModelLens' log output channel, which VS Code writes to a file under the server's logs folder.
 */
function ownActivateMs(serverDir) {
  for (const f of walk(serverDir, (p) => p.endsWith('.log') && /modellens/i.test(p))) {
    const text = fs.readFileSync(f, 'utf8');
    const m = /activated in (\d+) ms/.exec(text);
    if (m) return { ms: Number(m[1]), log: path.relative(serverDir, f), lines: text.split('\n').filter(Boolean).slice(0, 40) };
  }
  return null;
}

/**
 * ModelLens's global storage, carried from one session to the next as it stays on a user's
 * machine between windows: it holds the analysis worker's TypeScript code cache
 * (src/analysisWorker/codeCache.ts). The first session starts without it (a first-ever window);
 * the report says which windows had it.
 */
const carriedStorage = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-bench-storage-'));
process.on('exit', () => fs.rmSync(carriedStorage, { recursive: true, force: true }));
const storageIn = (server) => path.join(server.tmpDir, 'user-data', 'User', 'globalStorage', 'modellens.modellens');

/**
 * Runs in the workbench page before its own scripts: what a user sees of the lenses, where the
 * bench's own figures are the lenses coming back to the extension host through
 * `vscode.executeCodeLensProvider` (a second round trip through the workbench). After any change
 * to the page, the next animation frame notes the text of every CodeLens on screen when it
 * differs from the last one noted, with the moment (ms since the epoch, the extension host's
 * clock too): `window.__modellensLenses`. The first lens of a window is the first entry with a
 * number in it (ModelLens's counts; the built-in TypeScript lenses are off by default); an edit's
 * refreshed lens the first entry after it with a title only the new text has.
 */
function watchLenses() {
  const seen = (window.__modellensLenses = []);
  // The page's own long tasks (50 ms or more on its thread), for where a first lens waited.
  const busy = (window.__modellensBusy = []);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) busy.push({ at: performance.timeOrigin + e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let last = '';
  let pending = false;
  const look = () => {
    pending = false;
    const text = [...document.querySelectorAll('.codelens-decoration')].map((el) => el.textContent ?? '').join('\n');
    if (text === last) return;
    last = text;
    if (seen.length < 20_000) seen.push({ at: performance.timeOrigin + performance.now(), text });
  };
  new MutationObserver(() => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(look);
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

/** How long the page's thread was in long tasks between two moments (ms since the epoch). */
function busyWithin(busy, from, to) {
  return busy.reduce((sum, b) => sum + Math.max(0, Math.min(b.at + b.ms, to) - Math.max(b.at, from)), 0);
}

/**
 * When the page first painted each timed edit's lenses, ms after the edit: the first frame after
 * its change with the title only the new text's lenses have (lenses.bench.ts, `paintMarkers`).
 */
function paintedEdits(edit, seen) {
  return edit.changedEpochMs.map((changed, i) => {
    const marker = edit.paintMarkers[i % 2];
    const hit = seen.find((s) => s.at >= changed && s.text.includes(marker));
    if (!hit) {
      const onScreen = seen.filter((s) => s.at >= changed).at(-1)?.text ?? seen.at(-1)?.text ?? '(none)';
      throw new Error(`${edit.language} edit ${i + 1}: the page never painted the lens "${marker}" after the change, though the API returned it; the last lenses on screen:\n${onScreen.slice(0, 2000)}`);
    }
    return hit.at - changed;
  });
}

/**
 * The model file the bench opens first, by language (the first of each list; the TypeScript one
 * imports the second): in the workspace before the window starts, as a user's models are.
 */
const WORKSPACE_MODELS = {
  typescript: ['examples/resnet.ts', 'examples/res-block.ts'],
  python: ['examples/python/resnet.py'],
};

/** One fresh server + browser context + extension host running the bench entry in `mode`. */
async function session(browser, { mode, language, edits, settings }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-bench-'));
  const folder = path.join(work, 'workspace');
  fs.mkdirSync(folder);
  const models = WORKSPACE_MODELS[language];
  for (const f of models) fs.copyFileSync(path.join(ROOT, f), path.join(folder, path.basename(f)));
  const resultsFile = path.join(work, 'results.json');
  const log = [];
  let server;
  let context;
  try {
    server = await startCodeServer({
      env: { MODELLENS_BENCH_RESULTS: resultsFile, MODELLENS_BENCH_MODE: mode, MODELLENS_BENCH_OPENED: path.basename(models[0]), MODELLENS_BENCH_EDITS: String(edits) },
      settings,
    });
    fs.cpSync(carriedStorage, storageIn(server), { recursive: true });
    context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(watchLenses);
    let noHost = false;
    page.on('console', async (msg) => {
      const text = await consoleText(msg);
      log.push(text);
      if (text.includes(NO_HOST)) noHost = true;
      if (VERBOSE) console.error(`  [page] ${text}`);
    });
    page.on('pageerror', (err) => log.push(`pageerror: ${err.message}`));
    let exitCode;
    await page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; });
    // vscode-remote URIs with the page's own host:port: a file:// tests path never runs.
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.port, ROOT)],
      ['extensionTestsPath', remoteUri(server.port, ENTRY)],
    ];
    const opened = Date.now();
    await page.goto(workbenchUrl(server.port, { folder, payload }));
    while (exitCode === undefined && !noHost && Date.now() - opened < TIMEOUT_MS) await new Promise((r) => setTimeout(r, 100));
    const tail = () => log.slice(-30).map((l) => `  | ${l}`).join('\n');
    if (noHost) throw new Error(`"${NO_HOST} that can launch the test runner": the bench entry was not accepted\n${tail()}`);
    if (exitCode === undefined) throw new Error(`timed out after ${TIMEOUT_MS} ms waiting for the bench to finish\n${tail()}`);
    if (!fs.existsSync(resultsFile)) throw new Error(`the bench wrote no results (exit code ${exitCode})\n${tail()}`);
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    if (!results.ok || exitCode !== 0) throw new Error(`the bench failed in the extension host (exit code ${exitCode}): ${results.error ?? 'no error recorded'}`);
    const seen = await page.evaluate(() => window.__modellensLenses ?? []);
    const busy = await page.evaluate(() => window.__modellensBusy ?? []);
    const painted = seen.find((s) => /\d/.test(s.text));
    if (!painted) throw new Error('the workbench never showed a ModelLens lens in the editor, though the API returned them');
    results.figures.open.paintedMs = painted.at - results.figures.open.startEpochMs;
    results.figures.open.pageBusyMs = busyWithin(busy, results.figures.open.startEpochMs, painted.at);
    for (const e of results.figures.edits ?? []) e.paintedMs = paintedEdits(e, seen);
    // The log channel is written asynchronously: give it a moment after the run.
    let own = ownActivateMs(server.tmpDir);
    for (let i = 0; !own && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      own = ownActivateMs(server.tmpDir);
    }
    if (fs.existsSync(storageIn(server))) fs.cpSync(storageIn(server), carriedStorage, { recursive: true });
    return { ...results, ownActivate: own, serverReadyMs: server.readyMs, sessionMs: Date.now() - opened };
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];

const ms = (x) => (x === undefined || x === null || x < 0 ? '?' : x.toFixed(0));

/** Where one window's first lens went, ms from the open (as `text` in the JSON: scripts/bench-all.mjs prints it too). */
function windowSteps(st) {
  const o = st.own;
  return `document opened ${ms(st.opened)}, shown ${ms(st.shown)}; ModelLens: activate() ${ms(o.activated)} (isActive seen ${ms(st.active)}), `
    + `worker created ${ms(o.workerCreated)}, its script began ${ms(o.workerStarted)}, TypeScript and the analyzer loaded ${ms(o.workerLoaded)} `
    + `(code caches: TypeScript ${st.codeCache ?? '?'}, analyzer ${st.analyzerCache ?? '?'}), document sent ${ms(o.firstSent)}, result ${ms(o.firstResult)}, editor asked for lenses ${ms(o.firstAsked)}, answered ${ms(o.firstAnswered)}, `
    + `announced ${ms(st.analyzed)}; first lens painted in the editor ${ms(st.painted)}, returned by the API ${ms(st.lens)}; `
    + `the workbench page's thread was busy in long tasks for ${ms(st.pageBusy)} ms of it`;
}

/** The first-lens figures of the windows in `sessions` (null when none). */
function openFigures(sessions) {
  if (sessions.length === 0) return null;
  const open = sessions.map((s) => s.figures.open.ms);
  const painted = sessions.map((s) => s.figures.open.paintedMs);
  return {
    samples: open, median: median(open), max: Math.max(...open), file: sessions[0].figures.open.file, lenses: sessions[0].figures.open.lenses,
    // The same windows' first lens as painted in the editor (what a user sees).
    painted: { samples: painted, median: median(painted), max: Math.max(...painted) },
    // Where each window's time went: VS Code's steps (from the bench) and ModelLens's own (from its log).
    steps: sessions.map((s) => {
      const o = s.figures.open;
      const logged = (re) => {
        const m = (s.ownActivate?.lines ?? []).map((l) => re.exec(l)).find(Boolean);
        return m ? Number(m[1]) : null;
      };
      const st = { opened: o.openedMs, shown: o.shownMs, active: o.activeMs, analyzed: o.analyzedMs, lens: o.ms, painted: o.paintedMs, pageBusy: o.pageBusyMs, own: o.own ?? {}, analyzerLoad: logged(/analyzer loaded in (\d+) ms/), codeCache: (s.ownActivate?.lines ?? []).map((l) => /TypeScript code cache: (\w+)/.exec(l)?.[1]).find(Boolean) ?? null, analyzerCache: (s.ownActivate?.lines ?? []).map((l) => /analyzer's: (\w+)/.exec(l)?.[1]).find(Boolean) ?? null, firstAnalysis: logged(/first analysis \(.*\) in (\d+) ms/) };
      return { ...st, text: windowSteps(st) };
    }),
  };
}

/** The figures the report prints, from the sessions' raw results. */
function summarize(sessions) {
  const diagram = sessions.filter((s) => s.figures.diagram).map((s) => ({ label: s.label, ...s.figures.diagram }));
  const own = sessions.map((s) => s.ownActivate?.ms).filter((x) => x !== undefined);
  // One entry per session and language (TypeScript, then Python).
  const edits = sessions.flatMap((s) => (s.figures.edits ?? []).map((e) => ({
    label: s.label,
    ...e,
    fromChange: { median: median(e.fromChangeMs), p90: percentile(e.fromChangeMs, 90), min: Math.min(...e.fromChangeMs), max: Math.max(...e.fromChangeMs) },
    fromApply: { median: median(e.fromApplyMs), p90: percentile(e.fromApplyMs, 90) },
    // The same edits' lenses as painted in the editor (what a user sees).
    painted: { median: median(e.paintedMs), p90: percentile(e.paintedMs, 90), min: Math.min(...e.paintedMs), max: Math.max(...e.paintedMs) },
    // Where the time went (medians, ms from the change): sent to the worker (the debounce's end), result announced.
    started: median(e.startedMs),
    analyzed: median(e.analyzedMs),
  })));
  return {
    // Opening a TypeScript (open) or a Python (openPython) model file.
    open: openFigures(sessions.filter((s) => s.language === 'typescript')),
    openPython: openFigures(sessions.filter((s) => s.language === 'python')),
    diagram: diagram.map((d) => ({ ...d, median: median(d.ms), max: Math.max(...d.ms) })),
    ownActivate: { samples: own, median: own.length ? median(own) : null, missing: sessions.length - own.length, log: sessions.find((s) => s.ownActivate)?.ownActivate.log ?? null },
    edits,
    editorLensDebouncesMs: EDITOR_LENS_DEBOUNCES_MS,
    sessionMs: sessions.map((s) => s.sessionMs),
  };
}

/**
 * The sessions, each a fresh server, browser context and extension host. Opening a model file →
 * its first lens is measured first in every one (no model file is open before it, so the built-in
 * TypeScript features are idle then): a TypeScript file in the first two, then Python and
 * TypeScript in turn. Edits → lenses in the first two: the stock workbench, where the
 * built-in TypeScript features (two tsserver processes re-checking the same 5,000-line file on
 * every edit, on the same cores) run as a user has them, and a workbench whose TypeScript support
 * is quieted by settings (syntax-only tsserver, validation off; code-server cannot disable a
 * built-in extension), which shows how much of the figure is that contention.
 */
const QUIET_TS = {
  'typescript.tsserver.useSyntaxServer': 'always',
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
};
function plan(sessions, firstLensOnly, languages) {
  if (firstLensOnly) return Array.from({ length: sessions }, (_, i) => ({ label: 'stock workbench', mode: 'activation', language: languages[i % languages.length], settings: {} }));
  const all = [
    { label: 'stock workbench', mode: 'full', language: 'typescript', settings: {} },
    { label: 'TypeScript features quieted', mode: 'full', language: 'typescript', settings: QUIET_TS },
  ];
  for (let i = 2; i < sessions; i++) all.push({ label: 'stock workbench', mode: 'activation', language: i % 2 === 0 ? 'python' : 'typescript', settings: {} });
  return all.slice(0, sessions);
}

async function main() {
  const sessions = Number(arg('sessions', 4));
  const edits = Number(arg('edits', 15));
  const jsonOut = arg('json');
  if (!Number.isInteger(sessions) || sessions < 1) throw new Error(`--sessions must be a positive integer, got ${arg('sessions')}`);
  const language = arg('language', 'typescript');
  if (!['typescript', 'python', 'both'].includes(language)) throw new Error(`--language must be typescript, python or both, got ${language}`);
  const languages = language === 'both' ? ['typescript', 'python'] : [language];
  const t0 = Date.now();
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const mainFile = path.join(ROOT, manifest.main ?? 'dist/extension.js');
  if (!fs.existsSync(mainFile)) throw new Error(`${path.relative(ROOT, mainFile)} is missing: run \`node scripts/build.mjs\` first`);
  if (!fs.existsSync(ENTRY)) throw new Error(`${path.relative(ROOT, ENTRY)} is missing: compile with \`npx tsc -p .\` first`);
  const stale = SOURCES.filter((s) => fs.statSync(s).mtimeMs > fs.statSync(ENTRY).mtimeMs);
  if (stale.length) throw new Error(`${path.relative(ROOT, ENTRY)} is older than ${stale.map((s) => path.relative(ROOT, s)).join(', ')}: recompile with \`npx tsc -p .\``);

  const browser = await launchBrowser();
  const raw = [];
  try {
    for (const [i, s] of plan(sessions, process.argv.includes('--first-lens-only'), languages).entries()) {
      console.error(`bench-host: session ${i + 1}/${sessions}: ${s.mode === 'full' ? 'open → lens, diagram tab, edits' : 'open → lens'} (${s.language}), ${s.label}…`);
      raw.push({ label: s.label, language: s.language, settings: s.settings, ...(await session(browser, { mode: s.mode, language: s.language, edits, settings: s.settings })) });
    }
  } finally {
    await browser.close().catch(() => {});
  }
  const out = { ...summarize(raw), totalMs: Date.now() - t0, raw };
  if (jsonOut) {
    fs.writeFileSync(jsonOut, JSON.stringify(out, null, 2));
  } else {
    for (const [o, language] of [[out.open, 'TypeScript'], [out.openPython, 'Python']]) {
      if (!o) continue;
      console.log(`open a ${language} model file → first lens painted in the editor: median ${o.painted.median.toFixed(0)} ms, worst ${o.painted.max.toFixed(0)} ms over ${o.samples.length} fresh windows (${o.painted.samples.map((x) => x.toFixed(0)).join(', ')})`);
      console.log(`  returned by vscode.executeCodeLensProvider: median ${o.median.toFixed(0)} ms, worst ${o.max.toFixed(0)} ms (${o.samples.map((x) => x.toFixed(0)).join(', ')})`);
      for (const [i, st] of o.steps.entries()) console.log(`  window ${i + 1}: ${st.text}`);
    }
    console.log(`extension's own activate(): ${out.ownActivate.median ?? 'not logged'} ms`);
    for (const d of out.diagram) console.log(`diagram tab shown again → painted, ${d.label}: median ${d.median.toFixed(0)} ms, worst ${d.max.toFixed(0)} ms (${d.ms.map((x) => x.toFixed(0)).join(', ')})`);
    for (const e of out.edits) {
      console.log(`change → refreshed lenses painted, ${e.lines} lines of ${e.language}, ${e.label} (${e.paintedMs.length} edits): median ${e.painted.median.toFixed(0)} ms, worst ${e.painted.max.toFixed(0)} ms (${(e.painted.median - EDITOR_LENS_DEBOUNCES_MS).toFixed(0)} ms beyond the editor's own two debounces, ${EDITOR_LENS_DEBOUNCES_MS} ms here) (${e.paintedMs.map((x) => x.toFixed(0)).join(', ')})`);
      console.log(`  returned by the API: median ${e.fromChange.median.toFixed(0)} ms, worst ${e.fromChange.max.toFixed(0)} ms (medians: sent to the worker at ${e.started.toFixed(0)} ms, announced at ${e.analyzed.toFixed(0)} ms) (${e.fromChangeMs.map((x) => x.toFixed(0)).join(', ')})`);
    }
    console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

try {
  await main();
} catch (e) {
  console.error(`bench-host: ${e.message}`);
  process.exitCode = 1;
}
