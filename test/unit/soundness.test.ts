import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';
import { repoRoot } from '../fixtures/examples/tfjs-truth';

/**
 * The soundness rule, tested on every example and realistic port: insert a construct ModelLens
 * does not model into each model's construction (after `super()` in a constructor, before the
 * `return` of a builder), and every model's total either stays exactly what it was or becomes
 * unknown with a reason: never a different definite number, and the model never disappears.
 * `$M` in a snippet is the thing being built (`this`, or the builder's returned model).
 */

const ROOT = repoRoot();

interface Kind {
  name: string;
  /** A statement inserted at each construction site. */
  snippet: string;
  /** A line added at the top of the file. */
  header?: string;
}

const KINDS: Kind[] = [
  { name: 'an unknown call receiving the model', snippet: 'configureFromEnv($M);' },
  { name: 'an unknown call receiving the library module', snippet: 'patchLibrary(tf, nn);' },
  { name: 'a dynamic write', snippet: '($M as any)[pickName()] = 4;' },
  { name: 'a dynamic write of a known object', snippet: 'Object.defineProperty($M, pickName(), { value: 3 });' },
  { name: 'an unknown built-in', snippet: 'Reflect.set($M as object, "extra", 7);' },
  { name: 'an unreadable import', header: "import { addExtras } from './__modellens_missing__';", snippet: 'addExtras($M);' },
  { name: 'an unknown layer kind', snippet: '($M as any).extra = new nn.FrobnicatorLayer(3);' },
  { name: 'an unknown tfjs layer kind', snippet: '($M as any).add?.(tf.layers.frobnicate({ units: 3 }));' },
  { name: 'eval', snippet: "eval('1 + 1'); eval(pickName());" },
  { name: 'new Function receiving the model', snippet: "new Function('m', 'm.extra = 1')($M);" },
  { name: 'a generator feeding the model', snippet: 'for (const v of (function* () { yield 1; })()) ($M as any).gen = v;' },
  { name: 'a loop with an unknown bound', snippet: 'for (let i = 0; i < pickCount(); i++) ($M as any).extra = i;' },
  { name: 'an unknown method of the model', snippet: '($M as any).reconfigure?.(pickCount());' },
  { name: 'Object.assign from an unknown config', snippet: 'Object.assign($M as object, loadConfig());' },
  { name: 'a method through a computed name', snippet: '($M as any)[pickName()]?.();' },
  { name: 'a write through the model\'s layers', snippet: 'for (const l of (($M as any).layers ?? [])) l.trainable = pickFlag();' },
];

/** Every model file: the examples, the realistic ports, the tfjs corpus, the nn.Transformer port. */
function modelFiles(): string[] {
  const out: string[] = [];
  const add = (dir: string, re: RegExp) => {
    for (const f of fs.readdirSync(dir).sort()) if (re.test(f) && !f.endsWith('.d.ts')) out.push(path.join(dir, f));
  };
  add(path.join(ROOT, 'examples'), /\.ts$/);
  add(path.join(ROOT, 'test', 'fixtures', 'realistic'), /\.ts$/);
  add(path.join(ROOT, 'test', 'fixtures', 'tfjs-corpus'), /\.(ts|js)$/);
  add(path.join(ROOT, 'test', 'fixtures', 'torch'), /^transformer\.ts$/);
  return out;
}

/** Where models are constructed: after `super(…)` (or first) in constructors, before each top-level `return X` of functions. */
function insertionPoints(file: string, text: string): { at: number; target: string }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const points: { at: number; target: string }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isConstructorDeclaration(n) && n.body) {
      const stmts = n.body.statements;
      const sup = stmts.findIndex((s) => ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && s.expression.expression.kind === ts.SyntaxKind.SuperKeyword);
      points.push({ at: sup >= 0 ? stmts[sup].end : n.body.getStart(sf) + 1, target: 'this' });
    } else if ((ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) && n.body && ts.isBlock(n.body)) {
      for (const s of n.body.statements) {
        if (ts.isReturnStatement(s) && s.expression && ts.isIdentifier(s.expression)) points.push({ at: s.getStart(sf), target: s.expression.text });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return points;
}

function mutate(file: string, text: string, kind: Kind): string | undefined {
  const points = insertionPoints(file, text).sort((a, b) => b.at - a.at);
  if (points.length === 0) return undefined;
  let out = text;
  const js = file.endsWith('.js');
  for (const p of points) {
    let s = kind.snippet.replace(/\$M/g, p.target);
    if (js) s = s.replace(/ as (any|object)\b/g, ''); // plain JavaScript
    out = out.slice(0, p.at) + `\n${s}\n` + out.slice(p.at);
  }
  if (kind.header) {
    // After the imports and requires, so that `'use strict'`-free files stay valid either way.
    out = (js ? kind.header.replace(/^import \{ (\w+) \} from ('[^']+');$/, 'const { $1 } = require($2);') : kind.header) + '\n' + out;
  }
  return out;
}

function analyze(file: string, text: string): ModelSummary[] {
  return analyzeSource(file, text, { roots: [path.dirname(file)] }).models;
}

function reasonOf(m: ModelSummary): string | undefined {
  return m.totalsUnknownReason ?? m.layers.find((r) => r.unknownReason)?.unknownReason ?? m.diagnostics.find((d) => d.severity !== 'info')?.message;
}

describe('soundness: an unmodelled construct at construction time leaves each total exact or unknown with a reason', function () {
  this.timeout(600_000);
  const files = modelFiles();
  const tally = { same: 0, unknown: 0 };

  after(() => console.log(`      soundness: ${files.length} files × ${KINDS.length} constructs: ${tally.same} totals unchanged, ${tally.unknown} became unknown with a reason, 0 wrong`));

  it('covers the examples, the realistic ports and the tfjs corpus', () => {
    assert.ok(files.length >= 35, `${files.length} files`);
  });

  for (const file of files) {
    it(path.relative(ROOT, file), () => {
      clearAnalysisCache();
      const text = fs.readFileSync(file, 'utf8');
      const base = analyze(file, text);
      assert.ok(base.length > 0, 'the original has no model');
      const problems: string[] = [];
      for (const kind of KINDS) {
        const changed = mutate(file, text, kind);
        if (changed === undefined) continue;
        const after = analyze(file, changed);
        for (const b of base) {
          const m = after.find((x) => x.name === b.name && x.framework === b.framework);
          if (!m) {
            problems.push(`${kind.name}: model ${b.name} disappeared`);
            continue;
          }
          if (m.totalParams === null) {
            if (!reasonOf(m)) problems.push(`${kind.name}: ${b.name} became unknown without a reason`);
            else tally.unknown++;
          } else if (m.totalParams !== b.totalParams || m.trainableParams !== b.trainableParams) {
            problems.push(`${kind.name}: ${b.name} total ${b.totalParams} (${b.trainableParams} trainable) became ${m.totalParams} (${m.trainableParams}/${m.nonTrainableParams})`);
          } else tally.same++;
        }
      }
      assert.deepStrictEqual(problems, []);
    });
  }
});
