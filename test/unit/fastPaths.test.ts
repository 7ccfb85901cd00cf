import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import ts = require('typescript');
import { SourceInfo, parse } from '../../src/core/lang/ts/source';
import { inputShapeTag } from '../../src/core/lang/ts/project';
import { hasAnyModifier, hasModifier } from '../../src/core/lang/ts/modifiers';
import { commas } from '../../src/core/catalog/util';
import { bindTorch } from '../../src/core/catalog/bind';
import { catalog } from '../../src/core/catalog';
import { generateFile, makeRng } from '../../scripts/generate-models';

/**
 * The core's speed work replaced a few library calls by hand-written fast paths. Each must give
 * exactly what the obvious implementation gives, on real code and on text made to be awkward.
 */

const EXAMPLES = path.resolve(__dirname, '../../../examples');

/** Every example, a generated benchmark file, and the examples with trivia of every kind spliced in. */
function corpus(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const f of fs.readdirSync(EXAMPLES).filter((n) => n.endsWith('.ts'))) out.push({ name: f, text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8') });
  out.push({ name: 'generated', text: generateFile({ lines: 600, models: 24, seed: 7 }) });
  const trivia = ['/* c */', '// c\n', '\u00a0', '\ufeff', '\u2028', '\r\n', '\t', '\v', '<<<<<<< HEAD\n', '=======\n', '>>>>>>> x\n', '#!', '/** @inputShape [1, 2] */\n', '<T>', '#p'];
  const rand = makeRng(42);
  for (const base of out.slice(0, 6)) {
    let text = base.text;
    for (let i = 0; i < 40; i++) {
      const at = Math.floor(rand() * text.length);
      text = text.slice(0, at) + trivia[Math.floor(rand() * trivia.length)] + text.slice(at);
    }
    out.push({ name: `${base.name} + trivia`, text });
  }
  return out;
}

describe('fast paths equal what they replace', () => {
  const files = corpus();

  it('SourceInfo.start(node) is node.getStart() for every node', () => {
    let nodes = 0;
    for (const { name, text } of files) {
      const sf = parse(name, text);
      const src = new SourceInfo(name, text, sf);
      const visit = (node: ts.Node): void => {
        nodes++;
        assert.strictEqual(src.start(node), node.getStart(sf), `${name}: ${ts.SyntaxKind[node.kind]} at ${node.pos}`);
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    assert.ok(nodes > 5_000, `only ${nodes} nodes checked`);
  });

  it("SourceInfo's line of every offset is the editor's (lines end at \\r\\n, \\r or \\n, as in VS Code)", () => {
    for (const { name, text } of [...files, { name: 'mixed breaks', text: 'a\r\nb\rc\nd\u2028e\u2029f\r\r\n\ng' }]) {
      const src = new SourceInfo(name, text, parse(name, text));
      const starts = [0];
      for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push((m.index as number) + m[0].length);
      for (let pos = 0; pos <= text.length; pos += name === 'mixed breaks' ? 1 : 7) {
        let line = 0;
        while (line + 1 < starts.length && starts[line + 1] <= pos) line++;
        assert.strictEqual(src.lineOf(pos), line + 1, `${name} at ${pos}`);
      }
    }
  });

  it('inputShapeTag finds what a regular expression over each leading comment finds', () => {
    const tags = ['/** @inputShape [8, 64] */\n', '// @inputShape [1, 3, 32, 32]\n', '/**\n * A model.\n * @inputShape [2, 4] [2, 4]\n * @other\n */\n', '/* @inputShapes [1] */ ', '/** @inputShape */\n', '// @inputShape[4,5]@x\n', '/** text @inputShape [?, 7] */\n'];
    const rand = makeRng(11);
    let found = 0;
    for (const { name, text: base } of files) {
      // Tags of every form spliced in before declarations.
      let text = base;
      for (let k = 0; k < 12; k++) {
        const at = text.indexOf('\nexport ', Math.floor(rand() * text.length));
        if (at !== -1) text = text.slice(0, at + 1) + tags[Math.floor(rand() * tags.length)] + text.slice(at + 1);
      }
      const sf = parse(name, text);
      const src = new SourceInfo(name, text, sf);
      const visit = (node: ts.Node): void => {
        if (ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isVariableStatement(node)) {
          let want: ReturnType<typeof inputShapeTag>;
          for (const r of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
            const m = /@inputShape\b([^\n@*]*)/.exec(text.slice(r.pos, r.end));
            if (m) {
              const start = r.pos + m.index;
              want = { text: m[1].trim(), line: src.lineOf(start), start, end: start + m[0].length };
              break;
            }
          }
          if (want) found++;
          assert.deepStrictEqual(inputShapeTag(src, node), want, `${name}: at ${node.pos}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    assert.ok(found > 30, `only ${found} tags checked`);
  });

  it("hasModifier and hasAnyModifier agree with TypeScript's getModifiers on every node, decorators included", () => {
    const decorated = [
      '@sealed export default class A extends nn.Module {',
      '  @field static readonly size = 3;',
      '  @field fc = new nn.Linear(2, 3);',
      '  static build() { return new A(1); }',
      '  constructor(@inject private readonly width = 64, @inject plain = 1, public override depth = 2, protected x?: number) { super(); }',
      '  declare y: number; accessor z = 1; async *gen() {}',
      '}',
      'export const c = 1; declare function f(): void; export abstract class B { abstract m(): void }',
    ].join('\n');
    const kinds = [ts.SyntaxKind.StaticKeyword, ts.SyntaxKind.DefaultKeyword, ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ReadonlyKeyword, ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.AbstractKeyword, ts.SyntaxKind.AccessorKeyword, ts.SyntaxKind.AsyncKeyword] as const;
    let withModifiers = 0;
    for (const { name, text } of [...files, { name: 'decorated', text: decorated }]) {
      const visit = (node: ts.Node): void => {
        const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
        if (mods?.length) withModifiers++;
        assert.strictEqual(hasAnyModifier(node), !!mods?.length, `${name}: ${ts.SyntaxKind[node.kind]} at ${node.pos}`);
        for (const k of kinds) assert.strictEqual(hasModifier(node, k), !!mods?.some((m) => m.kind === k), `${name}: ${ts.SyntaxKind[node.kind]} at ${node.pos}, ${ts.SyntaxKind[k]}`);
        ts.forEachChild(node, visit);
      };
      visit(parse(name, text));
    }
    assert.ok(withModifiers > 50, `only ${withModifiers} nodes with modifiers checked`);
  });

  it('commas(n) is toLocaleString("en-US") for integers', () => {
    const rand = makeRng(3);
    const ns = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10000, 66564, 333853, 999999, 1000000, -1, -999, -1000, -1234567, 2 ** 53 - 1];
    for (let i = 0; i < 500; i++) ns.push(Math.floor(rand() * 10 ** Math.floor(rand() * 15)) * (rand() < 0.1 ? -1 : 1) || 0); // not -0
    for (const n of ns) assert.strictEqual(commas(n), n.toLocaleString('en-US'), String(n));
  });

  it('bindTorch binds as PyTorch: positional order, keywords in either case, defaults, and its errors', () => {
    const linear = catalog.torch.get('Linear')!;
    const conv = catalog.torch.get('Conv2d')!;
    const values = (e: typeof linear, pos: unknown[], kw?: Record<string, unknown>) => ({ ...bindTorch(e, pos as never, kw as never).values });
    assert.deepStrictEqual(values(linear, [128, 516]), { in_features: 128, out_features: 516, bias: true, device: null, dtype: null });
    assert.deepStrictEqual(values(linear, [128], { outFeatures: 4, bias: false }), { in_features: 128, out_features: 4, bias: false, device: null, dtype: null });
    const c = values(conv, [3, 16, 3], { stride: 2, padding_mode: 'zeros' });
    assert.strictEqual(c.stride, 2);
    assert.strictEqual(c.kernel_size, 3);
    assert.strictEqual(c.padding, 0);
    assert.throws(() => values(linear, [1, 2, true, null, null, 9]), /at most 5 positional/);
    assert.throws(() => values(linear, [1, 2], { out_features: 3 }), /got `out_features` twice/);
    assert.throws(() => values(linear, [1], { outFeatures: 3, out_features: 3 }), /got `out_features` twice/);
    assert.throws(() => values(linear, [1], { width: 3 }), /has no argument `width`/);
    assert.throws(() => values(linear, [1]), /needs `out_features`/);
    assert.deepStrictEqual(values(catalog.torch.get('Sequential')!, []), { modules: [] });
  });
});
