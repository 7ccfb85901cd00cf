/**
 * Speed of the analyzer on large generated files, side by side with the TypeScript parser alone
 * (the floor: ModelLens cannot be faster than parsing). Printed figures only, no assertions:
 * timings depend on the machine. Run with `npm run bench` (bundled to dist/bench.js).
 *
 *   (a) 5,000 lines / 200 models, cold: bare ts.createSourceFile vs analyzeSource with every
 *       cache cleared (target: analysis ≤ 1.5 × parse);
 *   (b) the same file re-analysed after a one-character edit in the middle (caches warm, the
 *       incremental re-parse) vs cold;
 *   (c) 10,000 lines / 400 models, cold.
 *
 * Each figure is a median after WARMUP runs, all in this one process; parse and analysis
 * alternate round by round so that they share the machine's conditions.
 */
import * as ts from 'typescript';
import { analyzeSource, clearAnalysisCache } from '../src/core/analyze';
import { clearParseCache } from '../src/core/analyzer/parseCache';
import { generateFile } from './generate-models';

const WARMUP = 3;
const RUNS = 9;
/** Parse-vs-analysis pairs: more rounds, since that ratio is the figure with a target. */
const PAIRED_RUNS = 25;
const TARGET_RATIO = 1.5;

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
  clearAnalysisCache();
  clearParseCache();
}

/**
 * Bare parse and cold analysis of the same text, alternating in every round so that machine
 * load, GC state and JIT warm-up fall on both sides alike (on a shared machine, timing one
 * side after the other skews the ratio by more than the effect being measured).
 */
function parseVsAnalysis(name: string, text: string): { parse: number; ms: number; models: number; diagnostics: number } {
  const parse: number[] = [];
  const analysis: number[] = [];
  let models = 0;
  let diagnostics = 0;
  for (let i = 0; i < WARMUP + PAIRED_RUNS; i++) {
    // Drop the previous round's tree and results first: while the caches held them, the parse's
    // garbage collections were charged for keeping the previous analysis's tree alive.
    clearAll();
    let t0 = process.hrtime.bigint();
    ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false);
    const p = Number(process.hrtime.bigint() - t0) / 1e6;
    t0 = process.hrtime.bigint();
    const r = analyzeSource(name, text);
    const a = Number(process.hrtime.bigint() - t0) / 1e6;
    models = r.models.length;
    diagnostics = r.diagnostics.length + r.models.reduce((n, m) => n + m.diagnostics.length, 0);
    if (i >= WARMUP) {
      parse.push(p);
      analysis.push(a);
    }
  }
  return { parse: median(parse), ms: median(analysis), models, diagnostics };
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

function main(): void {
  const rows: Row[] = [];
  const out = (what: string, ms: number, note = '') => rows.push({ what, ms: fmt(ms), note });

  const t5 = generateFile({ lines: 5000, models: 200, seed: 5000 });
  const n5 = 'bench-5000.ts';
  const cold5 = parseVsAnalysis(n5, t5);
  const parse5 = cold5.parse;
  const ratio5 = cold5.ms / parse5;
  out('(a) 5,000 lines: ts.createSourceFile', parse5, `${fmt(parse5 / 5)} ms per 1,000 lines`);
  out('(a) 5,000 lines: analyzeSource, cold', cold5.ms, `${fmt(cold5.ms / 5)} ms per 1,000 lines; ${cold5.models} models, ${cold5.diagnostics} diagnostics`);
  out('(a) ratio analyze / parse', ratio5, `target ≤ ${TARGET_RATIO}× ${ratio5 <= TARGET_RATIO ? '(met)' : '(MISSED)'}`);

  const edit = analyzeAfterEdit(n5, t5);
  out('(b) 5,000 lines: re-analysis after a 1-char edit', edit.ms, `edit on line ${edit.line}; caches warm`);
  out('(b) 5,000 lines: cold analysis', cold5.ms, 'from (a)');
  out('(b) ratio edit / cold', edit.ms / cold5.ms, '');

  const t10 = generateFile({ lines: 10000, models: 400, seed: 10000 });
  const n10 = 'bench-10000.ts';
  const cold10 = parseVsAnalysis(n10, t10);
  const parse10 = cold10.parse;
  out('(c) 10,000 lines: ts.createSourceFile', parse10, `${fmt(parse10 / 10)} ms per 1,000 lines`);
  out('(c) 10,000 lines: analyzeSource, cold', cold10.ms, `${fmt(cold10.ms / 10)} ms per 1,000 lines; ${cold10.models} models, ${cold10.diagnostics} diagnostics`);
  out('(c) ratio analyze / parse', cold10.ms / parse10, `target ≤ ${TARGET_RATIO}× ${cold10.ms / parse10 <= TARGET_RATIO ? '(met)' : '(MISSED)'}`);

  const w = [Math.max(...rows.map((r) => r.what.length)), Math.max(...rows.map((r) => r.ms.length), 'ms / ratio'.length)];
  const rule = '-'.repeat(w[0] + w[1] + 5 + Math.max(...rows.map((r) => r.note.length)));
  console.log(`ModelLens benchmark: medians (parse vs analysis: ${PAIRED_RUNS} alternating rounds; others: ${RUNS} runs) after ${WARMUP} warm-up runs, node ${process.version}, typescript ${ts.version}`);
  console.log(rule);
  console.log(`${'measurement'.padEnd(w[0])}  ${'ms / ratio'.padStart(w[1])}  note`);
  console.log(rule);
  for (const r of rows) console.log(`${r.what.padEnd(w[0])}  ${r.ms.padStart(w[1])}  ${r.note}`);
  console.log(rule);
}

main();
