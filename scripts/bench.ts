/**
 * Speed of the analyzer on large generated files, side by side with the TypeScript parser alone
 * (the floor: ModelLens cannot be faster than parsing). Printed figures only, no assertions:
 * timings depend on the machine. Run with `npm run bench` (bundled to dist/bench.js).
 *
 *   (a) 5,000 lines / 200 models, cold: bare ts.createSourceFile vs analyzeSource with every
 *       cache cleared (target: analysis ≤ 1.5 × parse);
 *   (b) the same file re-analysed after a one-character edit in the middle (caches warm, the
 *       incremental re-parse) vs cold;
 *   (c) 10,000 lines / 400 models, cold;
 *   (d) where a cold analysis's time goes: the same call in two timed halves (its own parse, then
 *       the analysis of that fresh tree), with the garbage collections that land in each;
 *   (e) Python: 5,000 lines of PyTorch models, cold: a bare @lezer/python parse vs analyzeSource
 *       (target: analysis ≤ 2 × parse), measured the same way as (a).
 *
 * MODELLENS_BENCH_ONLY=python runs (e) alone.
 *
 * Parse and analysis alternate round by round in this one process, so that they share the
 * machine's conditions. Before every timed call comes an untimed batch of short-lived garbage of
 * a random size (0–16 MB, about the young generation): young-generation collections then land at
 * a random point of each call, as they do in an editor, instead of at the one point a loop of
 * identical calls locks them to (which moved the ratio by ±0.3 from run to run, and from one
 * unrelated code change to the next). The figures are means over the rounds, so that the
 * collections a call causes are counted at their rate; medians are printed beside them.
 */
import * as path from 'path';
import { PerformanceObserver, performance } from 'perf_hooks';
import * as ts from 'typescript';
import { parser as pythonParser } from '@lezer/python';
import type * as CoreApi from '../src/extension/coreApi';
import { garbage, garbageMade } from './bench-garbage';
import { generateFile } from './generate-models';
import { generatePythonFile } from './generate-python-models';

/**
 * The analyzer as it ships: the extension's own bundle of it (dist/coreApi.js, next to this
 * file), not a copy compiled into this script's bundle. The copy measured 15–20% slower at
 * 10,000 lines, with identical source; the bundle the extension loads is the one that counts.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require(path.join(__dirname, 'coreApi.js')) as typeof CoreApi;
const { analyzeSource } = core;

const WARMUP = 3;
const RUNS = 9;
/** Parse-vs-analysis pairs: more rounds, since that ratio is the figure with a target. */
const PAIRED_RUNS = 60;
/**
 * Rounds before the paired ones are counted: until the JIT has settled on both sides. The parser
 * is a few tight loops that V8 optimizes within its first call; the analyzer is many functions,
 * some run a few hundred times per file and some (a layer kind's shape and parameter rules) only
 * a few. Round by round, a 5,000-line analysis took about 45 ms at first and near 20 ms after
 * 10–30 rounds, but `--trace-opt` showed V8 still optimizing catalog rules past round 40 (about 25
 * functions per 10 rounds, down to a few after round 100), and with 40 warm-up rounds the ratio
 * came out 1.46–1.55× against 1.40–1.41× with 100, four processes each. With 3 warm-up rounds the
 * means charged that one-time start-up to every analysis. The first round is printed beside the
 * figures, so the start-up cost stays visible. (bench:instructions counts runs 60→100.)
 */
const PAIRED_WARMUP = 100;
/** Warm-up of the split (d), which runs after (a) or (c) has warmed the JIT. */
const SPLIT_WARMUP = 10;
const TARGET_RATIO = 1.5;
/** Python's target (issue 14): analysis at most twice a bare parse by the chosen parser. */
const PYTHON_TARGET_RATIO = 2;

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median ms of `fn`; `before` runs untimed ahead of every call (cache clearing, edits). */
function time(fn: (i: number) => void, before?: (i: number) => void): number {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    before?.(i);
    const t0 = process.hrtime.bigint();
    fn(i);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= WARMUP) samples.push(ms);
  }
  return median(samples);
}

function clearAll(): void {
  core.clearCaches();
}

/**
 * Bare parse and cold analysis of the same text, alternating in every round so that machine
 * load, GC state and JIT warm-up fall on both sides alike (on a shared machine, timing one
 * side after the other skews the ratio by more than the effect being measured).
 */
interface Paired {
  /** Means (the figures), medians beside them. */
  parse: number;
  ms: number;
  parseMedian: number;
  msMedian: number;
  /** The first round's parse and analysis of this text (the JIT not yet settled), not in the means. */
  firstParse: number;
  firstMs: number;
  models: number;
  diagnostics: number;
}

/** The floor for a file: TypeScript's parser, or for Python the chosen parser (docs/python-parser.md). */
function bareParse(name: string, text: string): void {
  if (name.endsWith('.py')) pythonParser.parse(text);
  else ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false);
}

function parseVsAnalysis(name: string, text: string): Paired {
  const parse: number[] = [];
  const analysis: number[] = [];
  let models = 0;
  let diagnostics = 0;
  // Each timed call starts from the same state: no tree or result of the other call's cached
  // (an analysis's cached tree alive during a parse charged the parse's collections for copying it).
  const timeParse = (): number => {
    clearAll();
    garbage();
    const t0 = process.hrtime.bigint();
    bareParse(name, text);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const timeAnalysis = (): number => {
    clearAll();
    garbage();
    const t0 = process.hrtime.bigint();
    const r = analyzeSource(name, text);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    models = r.models.length;
    diagnostics = r.diagnostics.length + r.models.reduce((n, m) => n + m.diagnostics.length, 0);
    return ms;
  };
  let firstParse = 0;
  let firstMs = 0;
  for (let i = 0; i < PAIRED_WARMUP + PAIRED_RUNS; i++) {
    let p: number;
    let a: number;
    if (i % 2 === 0) {
      p = timeParse();
      a = timeAnalysis();
    } else {
      a = timeAnalysis();
      p = timeParse();
    }
    if (i === 0) {
      firstParse = p;
      firstMs = a;
    }
    if (i >= PAIRED_WARMUP) {
      parse.push(p);
      analysis.push(a);
    }
  }
  return { parse: mean(parse), ms: mean(analysis), parseMedian: median(parse), msMedian: median(analysis), firstParse, firstMs, models, diagnostics };
}

/** A cold analysis in two timed halves, beside the bare parse; collections that land in each. */
interface Split {
  parse: Part;
  own: Part;
  analysis: Part;
}
interface Part {
  /** Mean ms per call. */
  ms: number;
  /** Mean ms per call spent in garbage collections that started inside it, and how many per call. */
  gcMs: number;
  gcs: number;
}

/**
 * The cold analysis of `parseVsAnalysis`, timed as its two halves: `parseCached` (the analyzer's
 * own parse, which `analyzeSource` then finds cached) and `analyzeSource` on that fresh tree.
 * Collections are read from a PerformanceObserver and charged to the half they started in. Runs
 * after (a) or (c), so the JIT has already settled; a few rounds of warm-up still go first.
 */
async function whereColdGoes(name: string, text: string): Promise<Split> {
  const gcs: { start: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const spans: { part: keyof Split; t0: number; t1: number }[] = [];
  for (let i = 0; i < SPLIT_WARMUP + PAIRED_RUNS; i++) {
    clearAll();
    garbage();
    let t0 = performance.now();
    ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false);
    let t1 = performance.now();
    if (i >= SPLIT_WARMUP) spans.push({ part: 'parse', t0, t1 });
    clearAll();
    garbage();
    t0 = performance.now();
    core.parseCached(name, text);
    const mid = performance.now();
    analyzeSource(name, text);
    t1 = performance.now();
    if (i >= SPLIT_WARMUP) spans.push({ part: 'own', t0, t1: mid }, { part: 'analysis', t0: mid, t1 });
  }
  await new Promise((resolve) => setTimeout(resolve, 20)); // the observer reports asynchronously
  observer.disconnect();
  const part = (p: keyof Split): Part => {
    const mine = spans.filter((s) => s.part === p);
    let gcMs = 0;
    let n = 0;
    for (const g of gcs) {
      if (mine.some((s) => g.start >= s.t0 && g.start < s.t1)) {
        gcMs += g.ms;
        n++;
      }
    }
    return { ms: mean(mine.map((s) => s.t1 - s.t0)), gcMs: gcMs / mine.length, gcs: n / mine.length };
  };
  return { parse: part('parse'), own: part('own'), analysis: part('analysis') };
}

/**
 * A one-character edit in the middle of the file: a digit of the numeric literal nearest the
 * middle line, flipped between two values, so that every timed call is a real re-analysis of
 * changed text (the result cache only hits on identical text) with a warm parse cache.
 */
function analyzeAfterEdit(name: string, text: string): { ms: number; line: number } {
  const lines = text.split('\n');
  let at = -1;
  let line = 0;
  for (let d = 0; d < lines.length && at < 0; d++) {
    for (const k of [(lines.length >> 1) + d, (lines.length >> 1) - d]) {
      const m = /\b(\d*)([1-8])\b/.exec(lines[k] ?? '');
      if (m && !lines[k].trimStart().startsWith('//') && !lines[k].includes('@inputShape')) {
        at = lines.slice(0, k).reduce((n, l) => n + l.length + 1, 0) + m.index + m[1].length;
        line = k + 1;
        break;
      }
    }
  }
  if (at < 0) throw new Error('no digit to edit in the generated file');
  const digit = text[at];
  const edited = text.slice(0, at) + String(Number(digit) + 1) + text.slice(at + 1);
  const variants = [edited, text];
  clearAll();
  analyzeSource(name, text); // warm: the next call edits a cached parse
  const ms = time((i) => {
    analyzeSource(name, variants[i % 2]);
  });
  return { ms, line };
}

interface Row {
  what: string;
  ms: string;
  note: string;
}

function fmt(ms: number): string {
  return ms.toFixed(1);
}

function fmtRatio(r: number): string {
  return r.toFixed(2);
}

type Out = (what: string, ms: number, note?: string) => void;

/** (a)–(d): TypeScript, 5,000 and 10,000 lines. */
async function typeScriptSections(out: Out, outRatio: Out): Promise<void> {
  const t5 = generateFile({ lines: 5000, models: 200, seed: 5000 });
  const n5 = 'bench-5000.ts';
  const cold5 = parseVsAnalysis(n5, t5);
  const parse5 = cold5.parse;
  const ratio5 = cold5.ms / parse5;
  out('(a) 5,000 lines: ts.createSourceFile', parse5, `mean; ${fmt(parse5 / 5)} ms per 1,000 lines; median ${fmt(cold5.parseMedian)}`);
  out('(a) 5,000 lines: analyzeSource, cold', cold5.ms, `mean; ${fmt(cold5.ms / 5)} ms per 1,000 lines; median ${fmt(cold5.msMedian)}; ${cold5.models} models, ${cold5.diagnostics} diagnostics`);
  outRatio('(a) ratio analyze / parse', ratio5, `of the means; target ≤ ${TARGET_RATIO}× ${ratio5 <= TARGET_RATIO ? '(met)' : '(MISSED)'}; of the medians ${fmtRatio(cold5.msMedian / cold5.parseMedian)}`);
  out('(a) 5,000 lines: first round, JIT cold', cold5.firstMs, `analysis; parse ${fmt(cold5.firstParse)} ms; the first calls in this process, not in the means`);

  const edit = analyzeAfterEdit(n5, t5);
  out('(b) 5,000 lines: re-analysis after a 1-char edit', edit.ms, `median; edit on line ${edit.line}; caches warm`);
  out('(b) 5,000 lines: cold analysis', cold5.msMedian, 'median, from (a)');
  outRatio('(b) ratio edit / cold', edit.ms / cold5.msMedian, 'of the medians');

  // Each split before the next size's runs, which leave a larger heap behind whose collections
  // cost more (a 5,000-line split after them charged its own parse twice the collection time);
  // and after (b), which a split before it slowed from about 7 to 15 ms.
  const split5 = await whereColdGoes(n5, t5);

  const t10 = generateFile({ lines: 10000, models: 400, seed: 10000 });
  const n10 = 'bench-10000.ts';
  const cold10 = parseVsAnalysis(n10, t10);
  const split10 = await whereColdGoes(n10, t10);
  const parse10 = cold10.parse;
  const ratio10 = cold10.ms / parse10;
  out('(c) 10,000 lines: ts.createSourceFile', parse10, `mean; ${fmt(parse10 / 10)} ms per 1,000 lines; median ${fmt(cold10.parseMedian)}`);
  out('(c) 10,000 lines: analyzeSource, cold', cold10.ms, `mean; ${fmt(cold10.ms / 10)} ms per 1,000 lines; median ${fmt(cold10.msMedian)}; ${cold10.models} models, ${cold10.diagnostics} diagnostics`);
  outRatio('(c) ratio analyze / parse', ratio10, `of the means; ${ratio10 <= TARGET_RATIO ? 'under' : 'over'} ${TARGET_RATIO}× (the target is set on 5,000 lines; this shows how the ratio grows); of the medians ${fmtRatio(cold10.msMedian / cold10.parseMedian)}`);
  out('(c) 10,000 lines: first round', cold10.firstMs, `analysis; parse ${fmt(cold10.firstParse)} ms; not in the means`);

  for (const [label, s] of [['5,000', split5], ['10,000', split10]] as const) {
    const gc = (x: Part) => `collections in it ${fmt(x.gcMs)} ms per call (${x.gcs.toFixed(2)} per call)`;
    out(`(d) ${label} lines: bare parse`, s.parse.ms, `mean; ${gc(s.parse)}`);
    out(`(d) ${label} lines: cold analysis, its own parse`, s.own.ms, `${fmtRatio(s.own.ms / s.parse.ms)}× the bare parse; ${gc(s.own)}`);
    out(`(d) ${label} lines: cold analysis, the rest`, s.analysis.ms, `${fmtRatio(s.analysis.ms / s.parse.ms)}× the bare parse; ${gc(s.analysis)}`);
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const out = (what: string, ms: number, note = '') => rows.push({ what, ms: fmt(ms), note });
  const outRatio = (what: string, ratio: number, note = '') => rows.push({ what, ms: fmtRatio(ratio), note });

  if (process.env.MODELLENS_BENCH_ONLY !== 'python') await typeScriptSections(out, outRatio);

  // (e) Python.
  const p5 = generatePythonFile({ lines: 5000, models: 200, seed: 5000 });
  const pn5 = 'bench-5000.py';
  const py = parseVsAnalysis(pn5, p5);
  const pyRatio = py.ms / py.parse;
  out('(e) 5,000 Python lines: @lezer/python parse', py.parse, `mean; ${fmt(py.parse / 5)} ms per 1,000 lines; median ${fmt(py.parseMedian)}`);
  out('(e) 5,000 Python lines: analyzeSource, cold', py.ms, `mean; ${fmt(py.ms / 5)} ms per 1,000 lines; median ${fmt(py.msMedian)}; ${py.models} models, ${py.diagnostics} diagnostics`);
  outRatio('(e) ratio analyze / parse', pyRatio, `of the means; target ≤ ${PYTHON_TARGET_RATIO}× ${pyRatio <= PYTHON_TARGET_RATIO ? '(met)' : '(MISSED)'}; of the medians ${fmtRatio(py.msMedian / py.parseMedian)}`);
  out('(e) 5,000 Python lines: first round, JIT cold', py.firstMs, `analysis; parse ${fmt(py.firstParse)} ms; not in the means`);

  const w = [Math.max(...rows.map((r) => r.what.length)), Math.max(...rows.map((r) => r.ms.length), 'ms / ratio'.length)];
  const rule = '-'.repeat(w[0] + w[1] + 5 + Math.max(...rows.map((r) => r.note.length)));
  console.log(`ModelLens benchmark (parse vs analysis: means of ${PAIRED_RUNS} alternating rounds after ${PAIRED_WARMUP} warm-up rounds, each call after random garbage; others: medians of ${RUNS} runs after ${WARMUP} warm-up runs), node ${process.version}, typescript ${ts.version}`);
  console.log(rule);
  console.log(`${'measurement'.padEnd(w[0])}  ${'ms / ratio'.padStart(w[1])}  note`);
  console.log(rule);
  for (const r of rows) console.log(`${r.what.padEnd(w[0])}  ${r.ms.padStart(w[1])}  ${r.note}`);
  console.log(rule);
  if (garbageMade() < 0) console.log('never'); // keeps the garbage from being optimized away
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
