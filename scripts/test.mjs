// `npm test`: everything a fresh clone needs, then every suite, then one closing line
// `N passed, N failed` totalled over all of them. Skipped tests count as failures: a suite
// that did not run must not look like one that passed.
//
// Ends by comparing the working tree with how it was at the start: a tracked file modified or a
// new untracked file (outside the git-ignored dirs) is printed and counted as a failure.
//
// Steps: npm packages (npm ci when node_modules is missing or stale) → type-check and compile
// (tsc → out/) → bundles (esbuild → dist/) → Debian packages (real PyTorch, Chromium) → unit
// tests (mocha, in this process) → the non-ML corpus (node_modules) → the test VS Code (code-server 4.100.3) and Chromium → the
// diagram in Chromium → integration suites inside VS Code → the same in Restricted Mode → UI checks.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const totals = { passed: 0, failed: 0 };
const failures = [];

// Tests leave the world as they found it: the working tree is snapshotted now (every path git
// reports as changed or untracked, with a hash of its content) and compared at the end. Outputs
// belong in git-ignored dirs (test-artifacts/, out/, dist/, .cache/) or the OS temp dir.
function treeSnapshot() {
  const r = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return null; // not a git checkout (an unpacked tarball): nothing to compare with
  const snap = new Map();
  const entries = r.stdout.split('\0').filter(Boolean);
  for (let i = 0; i < entries.length; i++) {
    const status = entries[i].slice(0, 2);
    const file = entries[i].slice(3);
    if (status[0] === 'R' || status[0] === 'C') i++; // the rename's source path follows
    let hash = 'missing';
    try { hash = crypto.createHash('sha1').update(fs.readFileSync(path.join(ROOT, file))).digest('hex'); } catch { /* deleted or a directory */ }
    snap.set(file, `${status} ${hash}`);
  }
  return snap;
}
const treeBefore = treeSnapshot();

/** What the tests changed in the working tree since the start, one line per path. */
function treeChanges() {
  if (!treeBefore) return [];
  const after = treeSnapshot() ?? new Map();
  const changes = [];
  for (const [file, state] of after) {
    const was = treeBefore.get(file);
    if (was === undefined) changes.push(`${state.slice(0, 2) === '??' ? 'new' : 'modified'}: ${file}`);
    else if (was !== state) changes.push(`changed again: ${file}`);
  }
  for (const file of treeBefore.keys()) if (!after.has(file)) changes.push(`restored (the run changed it back): ${file}`);
  return changes;
}

function run(label, cmd, args, opts = {}) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...opts.env } });
  if (opts.capture && r.stdout) process.stdout.write(r.stdout);
  return r;
}

function must(label, cmd, args) {
  const r = run(label, cmd, args);
  if (r.status !== 0) {
    totals.failed++;
    failures.push(`${label} (exit ${r.status ?? r.signal})`);
    finish();
  }
}

/** Runs a suite script that ends with `<name>: N passed, N failed`, and adds its counts. */
function suite(label, script, args = []) {
  const r = run(label, process.execPath, [script, ...args], { capture: true });
  const m = /(\d+) passed, (\d+) failed\s*$/m.exec(r.stdout ?? '');
  const passed = m ? Number(m[1]) : 0;
  let failed = m ? Number(m[2]) : 0;
  if (!m || (r.status !== 0 && failed === 0)) failed++;
  totals.passed += passed;
  totals.failed += failed;
  if (failed) failures.push(`${label}: ${failed} failed${m ? '' : ' (no result line)'}`);
}

function finish() {
  const changes = treeChanges();
  console.log(`\n▶ working tree after the tests: ${changes.length ? `${changes.length} change(s) the tests made` : 'as it was'}`);
  if (changes.length) {
    for (const c of changes) console.log(`  ${c}`);
    totals.failed++;
    failures.push(`the tests changed the working tree (${changes.length} path(s); see above)`);
  }
  console.log('');
  if (failures.length) console.log(`failures:\n  ${failures.join('\n  ')}`);
  if (totals.passed === 0 && totals.failed === 0) totals.failed = 1; // nothing ran is not a pass
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed ? 1 : 0);
}

// 1. npm packages.
const lock = path.join(ROOT, 'package-lock.json');
const installed = path.join(ROOT, 'node_modules/.package-lock.json');
if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs) {
  must('npm packages', 'npm', ['ci', '--no-audit', '--no-fund']);
}

// 2–3. Compile and bundle.
must('type-check and compile', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
must('bundle', process.execPath, ['scripts/build.mjs']);

// 4. Debian packages: real PyTorch for the truth test among the unit tests, Chromium and the
// test VS Code's build needs for the suites after them (a no-op when installed).
must('Debian packages', process.execPath, ['scripts/debian-packages.mjs']);

// 5. Unit tests, counted through mocha's runner events.
{
  console.log('\n▶ unit tests (mocha)');
  const require = createRequire(import.meta.url);
  const Mocha = require('mocha');
  const config = require(path.join(ROOT, '.mocharc.cjs'));
  const mocha = new Mocha({ timeout: config.timeout, reporter: 'dot' });
  const files = fs.globSync ? fs.globSync('out/test/unit/**/*.test.js') : walk('out/test/unit');
  for (const f of files.sort()) mocha.addFile(path.join(ROOT, f));
  await mocha.loadFilesAsync();
  const counts = await new Promise((resolve) => {
    let passed = 0, failed = 0, pending = 0;
    const runner = mocha.run(() => resolve({ passed, failed, pending }));
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
    runner.on('pending', () => pending++);
  });
  console.log(`unit: ${counts.passed} passed, ${counts.failed} failed${counts.pending ? `, ${counts.pending} skipped (counted as failed)` : ''}`);
  totals.passed += counts.passed;
  totals.failed += counts.failed + counts.pending;
  if (counts.failed + counts.pending) failures.push(`unit: ${counts.failed + counts.pending} failed or skipped`);
  if (counts.passed === 0) failures.push('unit: no test ran');
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

// 5b. Only real models are models: every source file of node_modules outside the ML packages
// gives no model and no diagnostic (a child process with generous limits; one count per file).
suite('non-ML corpus (node_modules)', 'scripts/run-nonml-corpus.mjs');

// 6. The test VS Code and Chromium (idempotent; a no-op when installed).
must('test VS Code and Chromium', process.execPath, ['scripts/install-test-host.mjs']);

// 7. The diagram webview in headless Chromium, against fixture graphs.
suite('diagram (headless Chromium)', 'scripts/run-browser-tests.mjs');

// 8–9. Inside a real VS Code: integration suites, then the UI checks.
suite('integration (VS Code server)', 'scripts/run-integration.mjs');
// Restricted Mode: trust on, an untrusted folder whose settings raise every restricted limit.
suite('Restricted Mode (VS Code server, untrusted workspace)', 'scripts/run-integration.mjs', ['--restricted']);
suite('UI (Playwright, real workbench)', 'scripts/run-ui.mjs');

finish();
