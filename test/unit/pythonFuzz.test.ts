import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileBudget } from '../../src/core/framework/budget';
import type { AnalyzerHost } from '../../src/core/analyzerHost';
import { analyzePython } from '../../src/core/lang/python/models';
import type { FileSummary } from '../../src/core/summary';
import { makeRng } from '../../scripts/generate-models';

/**
 * Seeded mutation fuzzing of the Python front end, as test/unit/fuzz.test.ts does for TypeScript:
 * real files (torchvision's installed models/*.py, read now, and examples/python/) truncated as if
 * being typed and mutated token by token. The contract: the evaluator never throws, the summary is
 * well-formed (lines inside the file, counts finite or null), and the work is bounded by steps —
 * the file's step budget is honoured (counted by the FileBudget the evaluator charges; its clock is
 * set out of reach so that only steps decide), and a run that stops early says so.
 *
 * Reproduce with MODELLENS_FUZZ_SEED=<seed in the suite's title>; failing mutants are written to
 * <tmpdir>/modellens-python-fuzz/.
 */

const SEED = Number(process.env.MODELLENS_FUZZ_SEED ?? 0x5eed2024);
const TORCHVISION = '/usr/lib/python3/dist-packages/torchvision';
/** Per model and per file: small, so that mutants that loop run into them. */
const MODEL_BUDGET = 20_000;
// regnet.py's fifteen models, all followed to the end, take about 292,000 steps (efficientnet.py's twelve 231,000).
const FILE_STEPS = 400_000;
/** The file budget looks at its count every this many steps (framework/budget.ts CHECK_EVERY is at most this). */
const CHECK_SLACK = 1024;

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'examples'))) dir = path.dirname(dir);
  return dir;
}

const EXAMPLES = path.join(repoRoot(), 'examples', 'python');

/** Imports read the unmutated files (torchvision's own `..ops.misc`, the examples' neighbours), from the disk. */
const cache = new Map<string, string | undefined>();
const host: AnalyzerHost = {
  readFile(p) {
    if (!cache.has(p)) cache.set(p, (p.startsWith(TORCHVISION + '/') || p.startsWith(EXAMPLES + '/')) && fs.existsSync(p) && fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : undefined);
    return cache.get(p);
  },
};

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

function replaceOne(rng: Rng, text: string, re: RegExp, f: (m: RegExpMatchArray) => string): string {
  const all = [...text.matchAll(re)];
  if (!all.length) return text;
  const m = pick(rng, all);
  return text.slice(0, m.index) + f(m) + text.slice((m.index as number) + m[0].length);
}

const onLines = (t: string, f: (lines: string[]) => void) => {
  const lines = t.split('\n');
  f(lines);
  return lines.join('\n');
};

const PUNCTUATION = ['(', ')', '[', ']', '{', '}', ':', ',', '.', '=', '*', '**', '"', "'''", '#', '\\', '@', '->', 'lambda', ' if ', ' for '];
const NUMBERS = ['0', '-1', '1e308', '10**9', '99999999999999999999', '2**64', '0.5', 'True', 'None', 'float("inf")'];
const TOKEN_SWAPS: [RegExp, (rng: Rng) => string][] = [
  [/\bnn\.[A-Z]\w*/g, (rng) => pick(rng, ['nn.Lineer', 'nn.Sequential', 'nn.ModuleList', 'nn.Module', 'nn.conv2d', 'nn.Identity'])],
  [/\bself\./g, () => ''],
  [/\bsuper\(\)\.__init__\(\)/g, () => 'pass'],
  [/\breturn\b/g, () => ''],
  [/\bdef forward\b/g, () => 'def forwad'],
  [/\bwhile\b|\bif\b/g, () => 'while'],
  [/\brange\(/g, (rng) => pick(rng, ['range(10**9 + ', 'range(-', 'iter('])],
  [/\bfor (\w+) in\b/g, () => 'for _ in range(10**8) if'],
  [/\bTrue\b|\bFalse\b|\bNone\b/g, (rng) => pick(rng, ['True', 'False', 'None', '0', 'x'])],
  [/\bimport\b/g, () => 'import os,'],
];

const MUTATORS: Record<string, (rng: Rng, t: string) => string> = {
  deleteLines: (rng, t) => onLines(t, (l) => l.splice(int(rng, 0, l.length - 1), int(rng, 1, 3))),
  duplicateLines: (rng, t) => onLines(t, (l) => {
    const i = int(rng, 0, l.length - 1);
    l.splice(i, 0, ...l.slice(i, i + int(rng, 1, 6)));
  }),
  swapLines: (rng, t) => onLines(t, (l) => {
    const i = int(rng, 0, l.length - 1);
    const j = int(rng, 0, l.length - 1);
    [l[i], l[j]] = [l[j], l[i]];
  }),
  reindent: (rng, t) => onLines(t, (l) => {
    const i = int(rng, 0, l.length - 1);
    l[i] = rng() < 0.5 ? l[i].replace(/^ {4}/, '') : '    ' + l[i];
  }),
  insertPunctuation: (rng, t) => {
    const at = int(rng, 0, t.length);
    return t.slice(0, at) + pick(rng, PUNCTUATION) + t.slice(at);
  },
  deleteSpan: (rng, t) => {
    const at = int(rng, 0, t.length);
    return t.slice(0, at) + t.slice(at + int(rng, 1, 30));
  },
  number: (rng, t) => replaceOne(rng, t, /\b\d+\b/g, () => pick(rng, NUMBERS)),
  tokenSwap: (rng, t) => {
    const [re, f] = pick(rng, TOKEN_SWAPS);
    return replaceOne(rng, t, re, () => f(rng));
  },
  binaryJunk: (rng, t) => {
    const at = int(rng, 0, t.length);
    let s = '';
    for (let n = int(rng, 1, 40); n > 0; n--) s += rng() < 0.2 ? pick(rng, ['\0', '\r', '\u2028', '\ufeff', '\ud800', '\t']) : String.fromCharCode(int(rng, 0, 255));
    return t.slice(0, at) + s + t.slice(at);
  },
};
const MUTATOR_NAMES = Object.keys(MUTATORS);

function rngFor(name: string): Rng {
  let h = SEED >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return makeRng(h);
}

interface Mutant {
  label: string;
  text: string;
}

function* mutants(name: string, text: string, truncations: number, mutations: number): Generator<Mutant> {
  const rng = rngFor(name);
  for (let k = 0; k < truncations; k++) {
    const cut = k < truncations / 2 ? Math.floor((text.length * k) / (truncations / 2)) : int(rng, 0, text.length);
    yield { label: `${name} truncated at ${cut}`, text: text.slice(0, cut) };
  }
  for (let k = 0; k < mutations; k++) {
    let t = text;
    const ops: string[] = [];
    for (let n = int(rng, 1, 4); n > 0; n--) {
      const op = pick(rng, MUTATOR_NAMES);
      ops.push(op);
      t = MUTATORS[op](rng, t);
    }
    yield { label: `${name} mutant ${k} [${ops.join(', ')}]`, text: t };
  }
}

function lineCount(text: string): number {
  return text.split(/\r\n|[\n\r]/).length;
}

const finiteOrNull = (n: unknown) => n === null || (typeof n === 'number' && Number.isFinite(n) && n >= 0);

/** The FileSummary contract (the compact form of fuzz.test.ts's). */
function violations(text: string, r: FileSummary): string[] {
  const bad: string[] = [];
  const lines = lineCount(text);
  const diag = (d: { line: number; start?: number; end?: number; message: string }, ctx: string) => {
    if (!(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines)) bad.push(`${ctx}: diagnostic line ${d.line} outside 1..${lines}`);
    if (d.start !== undefined && !(d.start >= 0 && d.end !== undefined && d.start <= d.end && d.end <= text.length)) bad.push(`${ctx}: diagnostic span ${d.start}..${d.end}`);
    if (typeof d.message !== 'string' || !d.message.trim()) bad.push(`${ctx}: empty diagnostic`);
  };
  r.diagnostics.forEach((d) => diag(d, 'file'));
  for (const m of r.models) {
    if (!(Number.isInteger(m.line) && m.line >= 1 && m.line <= lines)) bad.push(`${m.name}: line ${m.line}`);
    for (const k of ['totalParams', 'trainableParams', 'nonTrainableParams', 'multAdds'] as const) if (!finiteOrNull(m[k])) bad.push(`${m.name}: ${k} ${m[k]}`);
    m.diagnostics.forEach((d) => diag(d, m.name));
    m.layers.forEach((l, i) => {
      if (l.id !== i) bad.push(`${m.name} row ${i}: id ${l.id}`);
      for (const k of ['params', 'totalParams'] as const) if (!finiteOrNull(l[k])) bad.push(`${m.name}.${l.name}: ${k} ${l[k]}`);
      if (l.outputShape !== null && !(Array.isArray(l.outputShape) && l.outputShape.every((d) => d === null || (Number.isInteger(d) && d >= 0)))) bad.push(`${m.name}.${l.name}: shape ${JSON.stringify(l.outputShape)}`);
    });
  }
  return bad;
}

/** One mutant: analysed with a step-only file budget; what broke the contract, and the steps it took. */
function check(file: string, m: Mutant): { problems: string[]; steps: number } {
  const budget = new FileBudget({ steps: FILE_STEPS, ms: Number.MAX_SAFE_INTEGER, units: 10_000_000 });
  let r: FileSummary;
  try {
    r = analyzePython(file, m.text, { budget: MODEL_BUDGET, host, fileBudget: budget });
  } catch (e) {
    return { problems: [`threw: ${(e as Error)?.stack ?? e}`], steps: budget.steps };
  }
  const problems = violations(m.text, r);
  if (budget.steps > FILE_STEPS + CHECK_SLACK) problems.push(`${budget.steps} steps: the file budget of ${FILE_STEPS} was not honoured`);
  // Stopped early: the summary must say so (a diagnostic with the code 'budget', or a `?` with the reason).
  if (budget.exhaustedWhy) {
    const said = [...r.diagnostics, ...r.models.flatMap((x) => x.diagnostics)].some((d) => d.code === 'budget') || r.models.some((x) => x.totalParams === null);
    if (!said && r.models.length > 0) problems.push(`the file budget ran out (${budget.exhaustedWhy}) and no model says so`);
  }
  return { problems, steps: budget.steps };
}

describe(`fuzz: the Python front end on truncated and mutated real files (seed ${SEED})`, function () {
  this.timeout(600_000);
  const sources: { name: string; file: string; text: string; truncations: number; mutations: number }[] = [];
  before(() => {
    assert.ok(fs.existsSync(path.join(TORCHVISION, 'models')), 'python3-torchvision is not installed (apt-get install python3-torchvision)');
    for (const f of fs.readdirSync(EXAMPLES).filter((x) => x.endsWith('.py')).sort()) {
      sources.push({ name: `examples/python/${f}`, file: path.join(EXAMPLES, f), text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8'), truncations: 20, mutations: 40 });
    }
    const models = path.join(TORCHVISION, 'models');
    for (const f of fs.readdirSync(models).filter((x) => x.endsWith('.py') && !x.startsWith('_')).sort()) {
      sources.push({ name: `torchvision/models/${f}`, file: path.join(models, f), text: fs.readFileSync(path.join(models, f), 'utf8'), truncations: 6, mutations: 8 });
    }
  });

  it('reads at least the six examples and fifteen torchvision model files', () => {
    assert.ok(sources.filter((s) => s.name.startsWith('examples/')).length >= 6 && sources.filter((s) => s.name.startsWith('torchvision/')).length >= 15, sources.map((s) => s.name).join(', '));
  });

  it('the unmutated files are analysed within the budget, without stopping early', () => {
    for (const s of sources) {
      const { problems, steps } = check(s.file, { label: s.name, text: s.text });
      assert.deepStrictEqual(problems, [], s.name);
      assert.ok(steps < FILE_STEPS, `${s.name}: ${steps} steps`);
    }
  });

  it('loops that never end stop at the step budget and say so (top level, __init__, forward)', () => {
    const loops = [
      'import torch.nn as nn\nwhile True:\n    x = 1\n',
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        while True:\n            self.fc = nn.Linear(2, 2)\n    def forward(self, x):\n        return self.fc(x)\n',
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(2, 2)\n    def forward(self, x):\n        for _ in range(10**12):\n            x = self.fc(x)\n        return x\n',
      'import torch.nn as nn\ndef f(n):\n    return f(n + 1)\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(f(0), 2)\n',
    ];
    loops.forEach((text, i) => {
      const { problems, steps } = check(`/virtual/loop${i}.py`, { label: `loop ${i}`, text });
      assert.deepStrictEqual(problems, [], `loop ${i}`);
      assert.ok(steps <= FILE_STEPS + CHECK_SLACK, `loop ${i}: ${steps} steps`);
      const r = analyzePython(`/virtual/loop${i}.py`, text, { budget: MODEL_BUDGET, host, fileBudget: new FileBudget({ steps: FILE_STEPS, ms: Number.MAX_SAFE_INTEGER, units: 10_000_000 }) });
      const said = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].some((d) => ['budget', 'recursion', 'unknown-branch'].includes(d.code ?? '')) || r.models.every((m) => m.totalParams === null);
      assert.ok(said, `loop ${i}: ${JSON.stringify(r.diagnostics)} ${JSON.stringify(r.models.map((m) => [m.totalParams, m.diagnostics]))}`);
    });
  });

  it('every mutant answers, well-formed, with its work bounded by the step budget', () => {
    let runs = 0;
    let stopped = 0;
    let maxSteps = 0;
    const failures: string[] = [];
    for (const s of sources) {
      for (const m of mutants(s.name, s.text, s.truncations, s.mutations)) {
        const { problems, steps } = check(s.file, m);
        runs++;
        maxSteps = Math.max(maxSteps, steps);
        if (steps > FILE_STEPS) stopped++;
        if (problems.length) {
          const dir = path.join(os.tmpdir(), 'modellens-python-fuzz');
          fs.mkdirSync(dir, { recursive: true });
          const saved = path.join(dir, `${failures.length}-${path.basename(s.file)}`);
          fs.writeFileSync(saved, m.text);
          failures.push(`${m.label} (saved to ${saved}, analysed as ${s.file}):\n    ${problems.slice(0, 3).join('\n    ').slice(0, 1200)}`);
        }
      }
    }
    console.log(`      python fuzz: ${runs} mutants, ${stopped} stopped by the step budget, most steps ${maxSteps} (budget ${FILE_STEPS})`);
    assert.ok(runs >= 300, `only ${runs} mutants`);
    assert.deepStrictEqual(failures.slice(0, 10), []);
  });
});
