import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import type { AnalyzerHost } from '../../src/core/analyzerHost';
import type { Diagnostic, FileSummary, LayerRow, ModelSummary } from '../../src/core/summary';
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import { makeRng } from '../../scripts/generate-models';

/**
 * Seeded mutation fuzzing of the public entry point `analyzeSource` over every example model.
 *
 * Editors call the analyzer on every keystroke, so it sees half-typed, broken and pasted text far
 * more often than clean files. For each mutant we check the contract, not particular numbers:
 * it returns (never throws), the FileSummary is well-formed (lines inside the file, finite
 * counts, shapes made of sizes), nothing was swallowed as an internal error, and the work is
 * bounded: a small step budget must be honoured, and 5 s for one call is treated as a hang.
 *
 * Reproduce a failure with MODELLENS_FUZZ_SEED=<seed printed at the start>; failing mutants are
 * also written to <tmpdir>/modellens-fuzz/.
 */

const SEED = Number(process.env.MODELLENS_FUZZ_SEED ?? 0x5eed2024);
/** Small on purpose: every example needs well under 1,000 steps, so mutants that loop hit it. */
const BUDGET = 2_000;
/**
 * A hang detector, not a speed target: far above any loaded machine's time for one analysis (each
 * is bounded by its step budget, BUDGET above). A real hang is a run that stops counting steps.
 */
const HANG_MS = 60_000;
const TRUNCATIONS_PER_FILE = 40;
const MUTANTS_PER_FILE = 170;
const CONCATENATIONS = 200;
const JUNK_FILES = 60;
/** Every Nth mutant is also analyzed cold under a fresh name: incremental re-parse must not change the answer. */
const DIFFERENTIAL_EVERY = 6;
/**
 * Steps bound every analysis here, not the file budget's clock: under load a wall-time cut could
 * make the incremental and the cold run of one mutant differ, which is not a bug.
 */
const STEPS_ONLY = { ms: Number.POSITIVE_INFINITY };
/** A call that has not answered after this long is declared hung and its worker is stopped. */
const WATCHDOG_MS = HANG_MS + 1_000;
/** A mutant that makes the analyzer allocate without bound kills its worker, not the test run. */
const WORKER_HEAP_MB = 1024;

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'examples'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

const EXAMPLES = path.join(repoRoot(), 'examples');
const exampleNames = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
const originals = new Map(exampleNames.map((f) => [path.join(EXAMPLES, f), fs.readFileSync(path.join(EXAMPLES, f), 'utf8')]));

/** Imports between examples (resnet.ts → res-block.ts) resolve to the unmutated files, from memory. */
const host: AnalyzerHost = { readFile: (p) => originals.get(p) };

// ------------------------------------------------------------------ the contract

const LINE_BREAK = /\r\n|[\n\r]/g; // what editors count as a line break (VS Code's text model; TypeScript also breaks at U+2028/U+2029)

function lineStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(LINE_BREAK)) starts.push((m.index as number) + m[0].length);
  return starts;
}

function lineOf(starts: number[], pos: number): number {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= pos) line++;
  return line + 1;
}

const SEVERITIES = new Set(['error', 'warning', 'info']);
const KINDS = new Set(['torch-module', 'tfjs-sequential', 'tfjs-functional']);

function isCount(n: unknown): boolean {
  return n === null || (typeof n === 'number' && Number.isFinite(n) && n >= 0);
}

function isShape(s: unknown): boolean {
  return Array.isArray(s) && s.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 0));
}

/** A model's or a row's input (or a model's output) whose shape is unknown is `null`, never `[]`. */
function isShapeOrNull(s: unknown): boolean {
  return s === null || isShape(s);
}

/** Returns every violation of the FileSummary contract (empty when well-formed). */
function contractViolations(file: string, text: string, r: FileSummary): string[] {
  const bad: string[] = [];
  const starts = lineStarts(text);
  const lines = starts.length;
  // JSON would print Infinity and NaN as null: show them as they are.
  const show = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x))?.slice(0, 300);
  const where = (what: string, v: unknown) => bad.push(`${what}: ${show(v)}`);
  if (!r || typeof r !== 'object') return [`result is ${String(r)}`];
  if (r.file !== file) where('file', r.file);
  if (!Array.isArray(r.models) || !Array.isArray(r.diagnostics)) return ['models/diagnostics are not arrays'];

  const checkDiagnostic = (d: Diagnostic, ctx: string) => {
    if (!Number.isInteger(d.line) || d.line < 1 || d.line > lines) where(`${ctx} diagnostic line outside 1..${lines}`, d);
    if (!SEVERITIES.has(d.severity)) where(`${ctx} diagnostic severity`, d);
    if (typeof d.message !== 'string' || d.message.trim() === '') where(`${ctx} diagnostic message`, d);
    if (d.start !== undefined || d.end !== undefined) {
      const s = d.start ?? -1;
      const e = d.end ?? -1;
      if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || s > e || e > text.length) where(`${ctx} diagnostic span`, d);
      else if (lineOf(starts, s) !== d.line) where(`${ctx} diagnostic line ${d.line} is not the line of its start (${lineOf(starts, s)})`, d);
    }
    if (d.fix && !(d.fix.start >= 0 && d.fix.start <= d.fix.end && d.fix.end <= text.length && typeof d.fix.text === 'string')) where(`${ctx} fix`, d.fix);
    if (d.code === 'internal') where(`${ctx} internal error (the analyzer threw)`, d.message);
  };
  r.diagnostics.forEach((d) => checkDiagnostic(d, 'file'));

  r.models.forEach((m: ModelSummary) => {
    const ctx = `model ${m.name}`;
    if (typeof m.name !== 'string' || m.name === '') where('model name', m.name);
    if (m.framework !== 'torch' && m.framework !== 'tfjs') where(`${ctx} framework`, m.framework);
    if (!KINDS.has(m.kind)) where(`${ctx} kind`, m.kind);
    if (!Number.isInteger(m.line) || m.line < 1 || m.line > lines) where(`${ctx} line outside 1..${lines}`, m.line);
    for (const k of ['totalParams', 'trainableParams', 'nonTrainableParams', 'multAdds', 'paramBytes', 'activationBytes', 'inputBytes'] as const) {
      if (!isCount(m[k])) where(`${ctx} ${k} is not a finite count or null`, m[k]);
    }
    for (const k of ['totalParams', 'trainableParams', 'nonTrainableParams'] as const) {
      if (m[k] !== null && !Number.isInteger(m[k])) where(`${ctx} ${k} is not an integer`, m[k]);
    }
    if (m.inputShape !== null && !isShape(m.inputShape)) where(`${ctx} inputShape`, m.inputShape);
    if (m.outputShape !== null && !isShape(m.outputShape)) where(`${ctx} outputShape`, m.outputShape);
    if (!Array.isArray(m.inputShapes) || !m.inputShapes.every(isShapeOrNull)) where(`${ctx} inputShapes`, m.inputShapes);
    if (!Array.isArray(m.outputShapes) || !m.outputShapes.every(isShapeOrNull)) where(`${ctx} outputShapes`, m.outputShapes);
    m.diagnostics.forEach((d) => checkDiagnostic(d, ctx));
    m.layers.forEach((l: LayerRow, i) => {
      const lctx = `${ctx} row ${i} (${l.name})`;
      if (l.id !== i) where(`${lctx} id`, l.id);
      if (typeof l.name !== 'string' || typeof l.type !== 'string' || l.type === '') where(`${lctx} name/type`, [l.name, l.type]);
      const own = l.file === undefined ? lines : lineStarts(host.readFile(l.file) ?? '').length;
      if (!Number.isInteger(l.line) || l.line < 1 || l.line > own) where(`${lctx} line outside 1..${own}`, l.line);
      if (!Number.isInteger(l.depth) || l.depth < 1) where(`${lctx} depth`, l.depth);
      if (l.parent !== undefined && !(Number.isInteger(l.parent) && l.parent >= 0 && l.parent < i)) where(`${lctx} parent`, l.parent);
      if (!Array.isArray(l.inputs) || !l.inputs.every((x) => Number.isInteger(x) && x < i)) where(`${lctx} inputs`, l.inputs);
      for (const k of ['params', 'trainableParams', 'nonTrainableParams', 'totalParams', 'multAdds'] as const) {
        if (!isCount(l[k])) where(`${lctx} ${k} is not a finite count or null`, l[k]);
      }
      if (l.outputShape !== null && !isShape(l.outputShape)) where(`${lctx} outputShape`, l.outputShape);
      if (l.outputShapes !== undefined && !l.outputShapes.every(isShape)) where(`${lctx} outputShapes`, l.outputShapes);
      if (!Array.isArray(l.inputShapes) || !l.inputShapes.every(isShapeOrNull)) where(`${lctx} inputShapes`, l.inputShapes);
    });
  });
  return bad;
}

// ------------------------------------------------------------------ mutations

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** Replaces one random match of `re` (global) using `f`; the text is unchanged when nothing matches. */
function replaceOne(rng: Rng, text: string, re: RegExp, f: (m: RegExpMatchArray) => string): string {
  const all = [...text.matchAll(re)];
  if (!all.length) return text;
  const m = pick(rng, all);
  const at = m.index as number;
  return text.slice(0, at) + f(m) + text.slice(at + m[0].length);
}

function misspell(rng: Rng, word: string): string {
  const i = int(rng, 0, word.length - 1);
  switch (int(rng, 0, 3)) {
    case 0:
      return word.slice(0, i + 1) + word[i] + word.slice(i + 1); // Linear → Lineaar
    case 1:
      return word.length > 1 ? word.slice(0, i) + word.slice(i + 1) : word + 'x';
    case 2:
      return word.toLowerCase() === word ? word.toUpperCase() : word.toLowerCase();
    default:
      return word + 'Foo';
  }
}

const PUNCTUATION = ['{', '}', '(', ')', '[', ']', ',', ';', "'", '"', '`', '<', '>', '=', '.', ':', '/*', '//', '=>', '...', '?', '!', '\\'];
const HUGE = ['1e308', '1e309', '9007199254740993', '99999999999999999999', '2147483648', '0', '-1', '0.5', '1e-320', '0x7fffffff', '1_000_000_000', '-0', '4294967296'];
const IDENTIFIERS = ['hiddenSize', 'undefined', 'NaN', 'Infinity', 'this', 'null', 'x', 'tf', 'nn', 'unknownConst', 'this.fc1', '"16"', '[]', '{}'];
const TOKEN_SWAPS: [RegExp, (rng: Rng, m: RegExpMatchArray) => string][] = [
  [/\bnn\.([A-Z]\w*)/g, (rng, m) => 'nn.' + misspell(rng, m[1])],
  [/\blayers\.(\w+)/g, (rng, m) => 'layers.' + misspell(rng, m[1])],
  [/\bforward\b/g, () => 'forwad'],
  [/\bthis\./g, () => ''],
  [/\bsuper\(\);/g, () => ''],
  [/\breturn\b/g, () => ''],
  [/\bextends\s+[\w.]+/g, (rng) => pick(rng, ['extends Module', 'extends nn.Modul', 'extends tf.layers.Layer', '', 'extends SimpleMLP'])],
  [/\bconst\b/g, () => 'let'],
  [/=/g, (rng) => pick(rng, ['==', '+=', '=>', ''])],
  [/\b(inputShape|units|filters|kernelSize|padding|stride|bias)\b/g, (rng, m) => misspell(rng, m[1])],
  [/@inputShape\s*\[[^\]\n]*\]/g, (rng) => pick(rng, ['@inputShape [64, abc]', '@inputShape []', '@inputShape [', '@inputShape [-5, 3]', '@inputShape [1e9, 1e9, 1e9]', '@inputShape [?, ?]', '@inputShape [0, 0]'])],
  [/\b(true|false|null)\b/g, (rng) => pick(rng, ['true', 'false', 'null', 'undefined', '0'])],
];

function junk(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rng();
    if (r < 0.15) s += '\0';
    else if (r < 0.2) s += pick(rng, ['\r', '\u2028', '\u2029', '\r\n', '\ufeff', '\ud800', '\udfff', '\uffff']);
    else s += String.fromCharCode(int(rng, 0, 255));
  }
  return s;
}

type Mutator = (rng: Rng, text: string) => string;

const MUTATORS: Record<string, Mutator> = {
  deleteLine(rng, t) {
    const lines = t.split('\n');
    lines.splice(int(rng, 0, lines.length - 1), int(rng, 1, 3));
    return lines.join('\n');
  },
  duplicateLine(rng, t) {
    const lines = t.split('\n');
    const i = int(rng, 0, lines.length - 1);
    lines.splice(i, 0, ...lines.slice(i, i + int(rng, 1, 4)));
    return lines.join('\n');
  },
  swapLines(rng, t) {
    const lines = t.split('\n');
    const i = int(rng, 0, lines.length - 1);
    const j = int(rng, 0, lines.length - 1);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join('\n');
  },
  insertPunctuation(rng, t) {
    const at = int(rng, 0, t.length);
    return t.slice(0, at) + pick(rng, PUNCTUATION) + t.slice(at);
  },
  deleteSpan(rng, t) {
    const at = int(rng, 0, t.length);
    return t.slice(0, at) + t.slice(at + int(rng, 1, 20));
  },
  numberToIdentifier(rng, t) {
    return replaceOne(rng, t, /\b\d+(\.\d+)?\b/g, () => pick(rng, IDENTIFIERS));
  },
  hugeNumber(rng, t) {
    return replaceOne(rng, t, /\b\d+(\.\d+)?\b/g, () => pick(rng, HUGE));
  },
  tokenSwap(rng, t) {
    const [re, f] = pick(rng, TOKEN_SWAPS);
    return replaceOne(rng, t, re, (m) => f(rng, m));
  },
  binaryJunk(rng, t) {
    const at = int(rng, 0, t.length);
    return t.slice(0, at) + junk(rng, int(rng, 1, 64)) + t.slice(at + (rng() < 0.5 ? int(rng, 0, 10) : 0));
  },
  nulBytes(rng, t) {
    const at = int(rng, 0, t.length);
    return t.slice(0, at) + '\0'.repeat(int(rng, 1, 8)) + t.slice(at);
  },
};
const MUTATOR_NAMES = Object.keys(MUTATORS);

// ------------------------------------------------------------------ mutants, as a pure function of (job, seed)

interface Mutant {
  label: string;
  file: string;
  text: string;
  /** Set for the budget sweep (a tiny budget on unmutated text); otherwise BUDGET. */
  budget?: number;
}

interface Job {
  id: string;
  kind: 'file' | 'concat' | 'junk' | 'sweep';
  /** For 'file': the example's name. */
  name?: string;
}

/** A per-job stream: adding an example does not change the mutants of the others. */
function rngFor(name: string): Rng {
  let h = SEED >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return makeRng(h);
}

function* mutants(job: Job): Generator<Mutant> {
  if (job.kind === 'file') {
    const name = job.name as string;
    const file = path.join(EXAMPLES, name);
    const text = originals.get(file) as string;
    const rng = rngFor(name);
    // Truncations: evenly spread cut points plus random ones (a file being typed).
    for (let k = 0; k < TRUNCATIONS_PER_FILE; k++) {
      const cut = k < TRUNCATIONS_PER_FILE / 2 ? Math.floor((text.length * k) / (TRUNCATIONS_PER_FILE / 2)) : int(rng, 0, text.length);
      yield { label: `${name} truncated at ${cut}`, file, text: text.slice(0, cut) };
    }
    for (let k = 0; k < MUTANTS_PER_FILE; k++) {
      let t = text;
      const ops: string[] = [];
      for (let n = int(rng, 1, 3); n > 0; n--) {
        const op = pick(rng, MUTATOR_NAMES);
        ops.push(op);
        t = MUTATORS[op](rng, t);
      }
      yield { label: `${name} mutant ${k} [${ops.join(', ')}]`, file, text: t };
    }
  } else if (job.kind === 'concat') {
    const rng = rngFor('concat');
    const texts = [...originals.values()];
    for (let k = 0; k < CONCATENATIONS; k++) {
      const parts = Array.from({ length: int(rng, 2, 4) }, () => pick(rng, texts));
      let t = parts.join(pick(rng, ['\n', '', '\n\n', '\r\n']));
      if (rng() < 0.5) t = MUTATORS[pick(rng, MUTATOR_NAMES)](rng, t);
      yield { label: `concatenation ${k}`, file: path.join(EXAMPLES, 'fuzz-concat.ts'), text: t };
    }
  } else if (job.kind === 'junk') {
    const rng = rngFor('junk');
    for (let k = 0; k < JUNK_FILES; k++) {
      const bytes = Buffer.from(Array.from({ length: int(rng, 0, 4000) }, () => int(rng, 0, 255)));
      // The bytes as an editor decodes them (UTF-8, with replacement characters), and one char per byte.
      yield { label: `junk file ${k}`, file: path.join(EXAMPLES, 'fuzz-junk.ts'), text: k % 2 ? bytes.toString('utf8') : bytes.toString('latin1') };
    }
  } else {
    for (const [file, text] of originals) {
      for (let budget = 1; budget <= 400; budget += budget < 60 ? 1 : 13) yield { label: `${path.basename(file)} with budget ${budget}`, file, text, budget };
    }
  }
}

// ------------------------------------------------------------------ one mutant, checked (runs in a worker)

const fullRuns = new Map<string, FileSummary>();
let freshNames = 0;

function check(m: Mutant, index: number): string[] {
  let r: FileSummary;
  try {
    r = analyzeSource(m.file, m.text, { host, budget: m.budget ?? BUDGET, fileLimits: STEPS_ONLY });
  } catch (e) {
    return [`analyzeSource threw: ${(e as Error)?.stack ?? e}`];
  }
  const problems = contractViolations(m.file, m.text, r);
  if (m.budget !== undefined) {
    // A model the full analysis finds may be missing only when the analysis says it ran out of steps.
    let full = fullRuns.get(m.file);
    if (!full) fullRuns.set(m.file, (full = analyzeSource(m.file, m.text, { host, fileLimits: STEPS_ONLY })));
    const stopped = [...r.diagnostics, ...r.models.flatMap((x) => x.diagnostics)].some((d) => d.code === 'budget');
    const missing = full.models.filter((x) => !r.models.some((y) => y.name === x.name && y.line === x.line)).map((x) => x.name);
    if (missing.length && !stopped) problems.push(`models ${missing.join(', ')} vanished without a 'budget' diagnostic`);
  } else if (index % DIFFERENTIAL_EVERY === 0) {
    // The same text parsed from scratch under a fresh name must give the same summary as the incremental re-parse.
    const other = path.join(path.dirname(m.file), `fuzz-fresh-${freshNames++}.ts`);
    try {
      const cold = analyzeSource(other, m.text, { host, budget: BUDGET, fileLimits: STEPS_ONLY });
      const norm = (x: FileSummary, name: string) => JSON.stringify(x).split(JSON.stringify(name)).join('"<file>"');
      if (norm(r, m.file) !== norm(cold, other)) problems.push('incremental re-parse gives a different summary from a cold parse');
    } catch (e) {
      problems.push(`analyzeSource threw on the cold run: ${(e as Error)?.message ?? e}`);
    }
  }
  return problems;
}

type WorkerMessage = { type: 'start'; index: number } | { type: 'end'; index: number; ms: number; problems: string[] } | { type: 'done' };

function workerMain(job: Job, startAt: number): void {
  const port = parentPort as NonNullable<typeof parentPort>;
  let index = 0;
  for (const m of mutants(job)) {
    if (index >= startAt) {
      port.postMessage({ type: 'start', index } satisfies WorkerMessage);
      const t0 = process.hrtime.bigint();
      const problems = check(m, index);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      port.postMessage({ type: 'end', index, ms, problems } satisfies WorkerMessage);
    }
    index++;
  }
  port.postMessage({ type: 'done' } satisfies WorkerMessage);
}

// ------------------------------------------------------------------ the driver (main thread)

interface Failure {
  index: number;
  problems: string[];
}

interface Outcome {
  wallMs: number;
  calls: number;
  maxMs: number;
  failures: Failure[];
}

/** Runs a job in workers; a crash or a hang is recorded against its mutant and the job resumes after it. */
async function runJob(job: Job): Promise<Outcome> {
  const out: Outcome = { wallMs: 0, calls: 0, maxMs: 0, failures: [] };
  const t0 = Date.now();
  let startAt = 0;
  for (;;) {
    const stoppedAt = await new Promise<number | undefined>((resolve) => {
      const w = new Worker(__filename, { workerData: { fuzzJob: job, startAt }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
      let current = -1;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (v: number | undefined) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve(v);
      };
      const fail = (why: string) => {
        out.failures.push({ index: current, problems: [why] });
        void w.terminate();
        finish(current + 1);
      };
      w.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'start') {
          current = msg.index;
          timer = setTimeout(() => fail(`no answer after ${WATCHDOG_MS} ms: the analyzer hangs`), WATCHDOG_MS);
        } else if (msg.type === 'end') {
          if (timer) clearTimeout(timer);
          out.calls++;
          out.maxMs = Math.max(out.maxMs, msg.ms);
          if (msg.problems.length) out.failures.push({ index: msg.index, problems: msg.problems });
        } else finish(undefined);
      });
      w.on('error', (e: Error & { code?: string }) => fail(`the worker died: ${e.code ?? ''} ${e.message}`));
      w.on('exit', (code) => {
        if (!settled) fail(`the worker exited with code ${code}`);
      });
    });
    out.wallMs = Date.now() - t0;
    if (stoppedAt === undefined) return out;
    startAt = stoppedAt;
  }
}

function describeFailures(job: Job, o: Outcome): string {
  const dir = path.join(os.tmpdir(), 'modellens-fuzz');
  fs.mkdirSync(dir, { recursive: true });
  const all = [...mutants(job)];
  const lines = o.failures.slice(0, 8).map((f) => {
    const m = all[f.index];
    const saved = path.join(dir, `${job.id.replace(/\W+/g, '_')}-${f.index}.ts`);
    if (m) fs.writeFileSync(saved, m.text);
    return `  ${m?.label ?? `#${f.index}`} (saved to ${saved}):\n    ${f.problems.slice(0, 3).map((p) => p.slice(0, 600)).join('\n    ')}`;
  });
  return `${o.failures.length} of ${o.calls + o.failures.filter((f) => f.problems[0].startsWith('no answer') || f.problems[0].startsWith('the worker')).length} mutants broke the contract (seed ${SEED}):\n${lines.join('\n')}`;
}

if (!isMainThread && workerData?.fuzzJob) {
  workerMain(workerData.fuzzJob as Job, workerData.startAt as number);
} else if (typeof describe === 'function') {
  describe(`fuzz: analyzeSource on mutated examples (seed ${SEED})`, function () {
    const jobs: Job[] = [
      ...exampleNames.map((name): Job => ({ id: name, kind: 'file', name })),
      { id: 'concatenations', kind: 'concat' },
      { id: 'binary junk', kind: 'junk' },
      { id: 'budget sweep', kind: 'sweep' },
    ];
    const outcomes = new Map<string, Outcome>();

    before(async function () {
      this.timeout(600_000);
      console.log(`      fuzz seed ${SEED} (set MODELLENS_FUZZ_SEED to change it), budget ${BUDGET} steps`);
      assert.ok(exampleNames.length >= 10, `expected the example models in ${EXAMPLES}`);
      // Two workers: this machine's cores. Each job is independent and deterministic.
      const queue = [...jobs];
      const lanes = Array.from({ length: Math.max(1, Math.min(2, os.cpus().length)) }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) outcomes.set(job.id, await runJob(job));
      });
      await Promise.all(lanes);
      const calls = [...outcomes.values()].reduce((n, o) => n + o.calls, 0);
      const slowest = Math.max(...[...outcomes.values()].map((o) => o.maxMs));
      console.log(`      fuzz: ${calls} analyses, slowest ${slowest.toFixed(1)} ms; per job (s): ${[...outcomes].map(([id, o]) => `${id} ${(o.wallMs / 1000).toFixed(1)}`).join(', ')}`);
    });

    it('the unmutated examples are analyzed fully within the small budget', () => {
      for (const [file, text] of originals) {
        const r = analyzeSource(file, text, { host, budget: BUDGET, fileLimits: STEPS_ONLY });
        assert.ok(r.models.length > 0, `${file}: no model found`);
        const budget = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].filter((d) => d.code === 'budget');
        assert.deepStrictEqual(budget, [], `${file} needs more than ${BUDGET} steps: the fuzz budget is too small to mean anything`);
        assert.deepStrictEqual(contractViolations(file, text, r), []);
      }
    });

    for (const job of jobs) {
      it(`${job.id}: every mutant answers, well-formed, within the budget`, () => {
        const o = outcomes.get(job.id);
        assert.ok(o, `the fuzz job ${job.id} did not run`);
        assert.ok(o.calls > 0, `the fuzz job ${job.id} analysed nothing`);
        if (o.failures.length) assert.fail(describeFailures(job, o));
      });
    }
  });
}
