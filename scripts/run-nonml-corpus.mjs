// Only real models are models: every `.js`/`.ts` file under the project's own node_modules except
// the ML packages (@tensorflow/*, PyTorch-shaped packages) is analysed the way the extension does,
// and must give zero models, no diagnostic other than a size-limit notice, and no exception.
// Prints the time per 1,000 lines and ends with `nonml: N passed, N failed` (one per file), for
// scripts/test.mjs.
//
// Tens of thousands of files: the analysis runs in a child process that reports each file as it
// finishes. A file that takes longer than FILE_LIMIT_MS (the child is killed and restarted after
// it) or anything left when OVERALL_LIMIT_MS runs out fails, by name. Limits are generous on
// purpose: this checks that analysis is bounded, not how fast it is (`npm run bench` does that).
//
// Run after `tsc` (it loads out/src/core). `node scripts/run-nonml-corpus.mjs [--limit N]`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const FILE_LIMIT_MS = 120_000;
const OVERALL_LIMIT_MS = 60 * 60_000;
const EXTENSIONS = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/;

/** Every source file under node_modules outside the ML packages; symlinks are not followed. */
function corpus(isMlPackage) {
  const top = fs.realpathSync(path.join(ROOT, 'node_modules'));
  const out = [];
  const walk = (dir, rel) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        // A package folder right under a node_modules (or a scope): skip the ML ones.
        const parent = path.basename(dir);
        const pkg = parent.startsWith('@') ? `${parent}/${e.name}` : e.name;
        const isPackage = parent === 'node_modules' || parent.startsWith('@');
        if (isPackage && (isMlPackage(pkg) || pkg === '@tensorflow' || pkg === '@tensorflow-models')) continue;
        walk(p, `${rel}/${e.name}`);
      } else if (e.isFile() && EXTENSIONS.test(e.name)) {
        out.push(p);
      }
    }
  };
  walk(top, '');
  return out.sort();
}

async function parent() {
  const started = Date.now();
  const { isMlPackage } = require(path.join(ROOT, 'out/src/core/lang/ts/evidence.js'));
  let files = corpus(isMlPackage);
  const limitArg = process.argv.indexOf('--limit');
  if (limitArg > 0) files = files.slice(0, Number(process.argv[limitArg + 1]));
  console.log(`nonml: ${files.length} files under node_modules (ML packages excluded)`);
  if (files.length === 0) {
    console.log('nonml: 0 passed, 1 failed (no files found)');
    process.exit(1);
  }
  const results = new Array(files.length);
  const failures = [];
  let next = 0;
  while (next < files.length && Date.now() - started < OVERALL_LIMIT_MS) {
    next = await runChild(files, next, results, failures, started);
  }
  for (let i = next; i < files.length; i++) if (!results[i]) failures.push(`${rel(files[i])}: not analysed before the overall limit (${OVERALL_LIMIT_MS / 60_000} min)`);

  let lines = 0;
  let ms = 0;
  let sizeLimited = 0;
  let slowest = { ms: 0, file: '' };
  for (let i = 0; i < files.length; i++) {
    const r = results[i];
    if (!r) continue;
    lines += r.lines;
    ms += r.ms;
    if (r.sizeLimited) sizeLimited++;
    if (r.ms > slowest.ms) slowest = { ms: r.ms, file: rel(files[i]) };
    const problems = [];
    if (r.error) problems.push(`exception: ${r.error}`);
    if (r.models.length) problems.push(`${r.models.length} model(s): ${r.models.join(', ')}`);
    if (r.diagnostics.length) problems.push(`diagnostics: ${r.diagnostics.join(' | ')}`);
    if (problems.length) failures.push(`${rel(files[i])}: ${problems.join('; ')}`);
  }
  const analysed = results.filter(Boolean).length;
  console.log(`nonml: ${analysed} files, ${lines.toLocaleString('en-US')} lines in ${(ms / 1000).toFixed(1)} s of analysis: ${((ms / lines) * 1000).toFixed(2)} ms per 1,000 lines; ${sizeLimited} over the size limit (one notice each); slowest ${slowest.ms.toFixed(0)} ms (${slowest.file}); wall ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const f of failures.slice(0, 50)) console.log(`  FAIL ${f}`);
  if (failures.length > 50) console.log(`  … and ${failures.length - 50} more`);
  const failedFiles = new Set(failures.map((f) => f.slice(0, f.indexOf(': '))));
  console.log(`nonml: ${files.length - failedFiles.size} passed, ${failedFiles.size} failed`);
  process.exit(failedFiles.size ? 1 : 0);
}

const rel = (f) => path.relative(fs.realpathSync(path.join(ROOT, 'node_modules')), f);

/** Runs the child from file `from`; resolves with the index to continue at. */
function runChild(files, from, results, failures, started) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--max-old-space-size=2048', fileURLToPath(import.meta.url), '--child'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let at = from;
    let buffer = '';
    let timer;
    let done = false;
    const finish = (nextIndex) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(nextIndex);
    };
    const arm = () => {
      clearTimeout(timer);
      const left = OVERALL_LIMIT_MS - (Date.now() - started);
      timer = setTimeout(() => {
        // The file being analysed took too long (or time ran out): it fails, the rest go on.
        if (at < files.length && left > FILE_LIMIT_MS) failures.push(`${rel(files[at])}: no answer within ${FILE_LIMIT_MS / 1000} s`);
        proc.kill('SIGKILL');
        finish(left > FILE_LIMIT_MS ? at + 1 : at);
      }, Math.min(FILE_LIMIT_MS, Math.max(left, 0)));
    };
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const r = JSON.parse(line);
        results[r.i] = r;
        at = r.i + 1;
        arm();
      }
    });
    proc.on('exit', (code, signal) => {
      if (done) return;
      if (at < files.length) failures.push(`${rel(files[at])}: the analysing process died (${signal ?? `exit ${code}`})`);
      finish(at < files.length ? at + 1 : at);
    });
    arm();
    proc.stdin.end(JSON.stringify({ files, from }));
  });
}

function child() {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (c) => (input += c));
  process.stdin.on('end', () => {
    const { files, from } = JSON.parse(input);
    const { analyzeSource, clearAnalysisCache } = require(path.join(ROOT, 'out/src/core/analyze.js'));
    for (let i = from; i < files.length; i++) {
      const file = files[i];
      let text = '';
      const r = { i, lines: 0, ms: 0, models: [], diagnostics: [], sizeLimited: false, error: undefined };
      try {
        text = fs.readFileSync(file, 'utf8');
        r.lines = text.split('\n').length;
        const t0 = performance.now();
        // The extension's defaults: the project root as the workspace, the default size limit.
        const summary = analyzeSource(file, text);
        r.ms = performance.now() - t0;
        r.models = summary.models.map((m) => m.name);
        for (const d of summary.diagnostics) {
          if (d.code === 'size-limit') r.sizeLimited = true;
          else r.diagnostics.push(`${d.line}: ${d.message}`.slice(0, 300));
        }
      } catch (e) {
        r.error = String(e?.stack ?? e).slice(0, 500);
      }
      process.stdout.write(`${JSON.stringify(r)}\n`);
      // Results are cached by file; a corpus run never asks twice.
      if (i % 256 === 0) clearAnalysisCache();
    }
  });
}

if (process.argv[2] === '--child') child();
else await parent();
