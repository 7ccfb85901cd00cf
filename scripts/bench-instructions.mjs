// `npm run bench:instructions`: the core's costs as instruction counts under valgrind's callgrind,
// which, unlike wall-clock time on a shared machine, come out the same on every run. A tool for
// working on the analyzer's speed: a change that saves 3% shows up here, while `npm run bench`
// on two busy cores moves by ±10% between runs.
//
// Each step runs LO and then HI times in fresh processes; (count(HI) − count(LO)) / (HI − LO) is
// the cost of one more run once the JIT has settled (lower counts include its warm-up, which
// inflates them severalfold). The garbage collector runs on the main thread (--single-threaded)
// so its work is counted too. Each step follows random garbage so that collections land at
// random points of it (see the child), and that garbage's own count is measured alone and
// subtracted.
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'dist/bench-instructions-child.js');
// Runs 60→100: with one thread (callgrind runs threads one at a time) V8 compiles on the main
// thread, and at runs 20→40 its optimizing compiler was still at work on the analyzer, counted
// as the analyzer's (analysis of a cached tree, one build: 70.8 M at 20→40, 34.6 M at 60→100).
const LO = 60;
const HI = 100;
const MODES = [
  ['garbage', 'the garbage made before every step (subtracted from the others)'],
  ['parse', 'bare ts.createSourceFile (the floor)'],
  ['ownparse', "the analyzer's own parse (JSDoc not parsed)"],
  ['warm', 'analysis of a cached tree'],
  ['cold', 'cold analysis (every cache cleared)'],
];

try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('bench:instructions needs valgrind (Debian: apt-get install valgrind); nothing was measured.');
  process.exit(1);
}

function count(mode, n) {
  return new Promise((resolve, reject) => {
    const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', CHILD];
    const p = spawn('valgrind', args, { env: { ...process.env, MODE: mode, N: String(n) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      const m = /Collected : (\d+)/.exec(err);
      if (code !== 0 || !m) reject(new Error(`callgrind ${mode} N=${n} failed (exit ${code}):\n${err.slice(-2000)}`));
      else resolve(Number(m[1]));
    });
  });
}

const t0 = Date.now();
const perRun = {};
// Two processes at a time: callgrind is single-threaded, and its counts do not depend on load.
for (const [mode] of MODES) {
  process.stderr.write(`[bench:instructions] ${mode}: ${LO} and ${HI} runs under callgrind…\n`);
  const [lo, hi] = await Promise.all([count(mode, LO), count(mode, HI)]);
  perRun[mode] = (hi - lo) / (HI - LO);
}
// Every step follows the same garbage (bench-instructions-child.ts): its count is taken off.
const step = {};
for (const [mode] of MODES) if (mode !== 'garbage') step[mode] = perRun[mode] - perRun.garbage;
const floor = step.parse;
const shown = MODES.filter(([mode]) => mode !== 'garbage');
const w = Math.max(...shown.map(([, label]) => label.length), 'cold − own parse − warm'.length);
console.log(`ModelLens core, instructions per run (callgrind, marginal over runs ${LO}→${HI}, after random garbage; 5,000 lines, 200 models), node ${process.version}`);
for (const [mode, label] of shown) {
  console.log(`${label.padEnd(w)}  ${(step[mode] / 1e6).toFixed(1).padStart(7)} M  ${(step[mode] / floor).toFixed(2)}× the bare parse`);
}
const gc = step.cold - step.ownparse - step.warm;
console.log(`${'cold − own parse − warm'.padEnd(w)}  ${(gc / 1e6).toFixed(1).padStart(7)} M  ${(gc / floor).toFixed(2)}× (what a fresh tree adds: mostly the collector copying it)`);
// The 1.5× is a cost in time, measured by `npm run bench`. These counts put on one thread
// what a normal run spreads over several (the collector's parallel copying and concurrent
// marking), and count instructions, not their cost: a guide to changes, not the target's measure.
console.log(`cold / bare parse in instructions: ${(step.cold / floor).toFixed(2)}× (the 1.5× target is on time: npm run bench); took ${Math.round((Date.now() - t0) / 1000)} s`);
