import { torchTruth } from '../fixtures/examples/torchTruth';
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { DEFAULT_VISIBLE_LIMIT, buildDiagramGraph, defaultCollapsed, foldRepeats, visibleGraph, type DiagramGraph, type DiagramGroup, type DiagramNode } from '../../src/core/graph';
import { syntheticResNet } from '../fixtures/graphs/synthetic';

const ROOT = path.resolve(__dirname, '../../..');

function graphOf(file: string, model: string): DiagramGraph {
  const full = path.join(ROOT, file);
  const m = analyzeSource(full, fs.readFileSync(full, 'utf8')).models.find((x) => x.name === model);
  if (!m) throw new Error(`no ${model} in ${file}`);
  return buildDiagramGraph(m);
}

/** A model written inline (in a temporary file: the analyzer reads files, and may resolve imports next to it). */
function graphFromSource(source: string, model: string): DiagramGraph {
  const full = path.join(ROOT, 'examples', '__repeats_inline.ts');
  const m = analyzeSource(full, source).models.find((x) => x.name === model);
  if (!m) throw new Error(`no ${model}`);
  return buildDiagramGraph(m);
}

const runs = (g: DiagramGraph) => g.groups.filter((x) => x.repeat !== undefined);
const nameOf = (g: DiagramGraph, id: string) => g.groups.find((x) => x.id === id)?.name ?? g.nodes.find((x) => x.id === id)?.name;

/** Submodule parameter counts from real torchvision 0.14 (`named_modules`, two levels). */
function torchvisionResnet50(): Record<string, number> {
  const program = 'import torchvision, json\nm = torchvision.models.resnet50()\nprint(json.dumps({n: sum(p.numel() for p in mod.parameters()) for n, mod in m.named_modules() if n.count(".") <= 1}))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', program], { encoding: 'utf8', timeout: 120_000 }));
}

describe('diagram: runs of identical blocks fold into one ×N group', function () {
  this.timeout(180_000);

  it('TransformerEncoder: its cloned layers are one run, their total PyTorch’s', () => {
    const truth = torchTruth();
    for (const [model, n] of [['TinyTransformer', 2], ['PreNormEncoder', 3]] as const) {
      const g = graphOf('examples/transformer.ts', model);
      const [run] = runs(g);
      assert.strictEqual(runs(g).length, 1, model);
      assert.strictEqual(run.repeat, n);
      assert.strictEqual(run.type, 'TransformerEncoderLayer');
      assert.deepStrictEqual(run.children.map((c) => nameOf(g, c)), Array.from({ length: n }, (_, i) => `encoder.layers.${i}`));
      const modules = truth[`transformer.ts#${model}`].modules;
      assert.strictEqual(run.params, modules.find((x) => x.name === 'encoder.layers')!.totalParams, model);
      // The run takes the blocks' place in their container; the blocks hang under it.
      const list = g.groups.find((x) => x.name === 'encoder.layers')!;
      assert.deepStrictEqual(list.children, [run.id]);
      for (const c of run.children) assert.strictEqual(g.groups.find((x) => x.id === c)!.parent, run.id);
    }
  });

  it('ResNet-50: each stage’s blocks after the first fold (×2, ×3, ×5, ×2), with torchvision’s totals; the first blocks (projection shortcut) stay apart', () => {
    const g = graphOf('test/fixtures/models/resnet50.ts', 'ResNet50');
    const tv = torchvisionResnet50();
    assert.strictEqual(tv[''], 25_557_032);
    const found = runs(g).map((r) => ({ n: r.repeat, blocks: r.children.map((c) => nameOf(g, c)), params: r.params }));
    const stages = [['layer1', 3], ['layer2', 4], ['layer3', 6], ['layer4', 3]] as const;
    assert.deepStrictEqual(
      found,
      stages.map(([s, blocks]) => {
        const names = Array.from({ length: blocks - 1 }, (_, i) => `${s}.${i + 1}`);
        return { n: blocks - 1, blocks: names, params: names.reduce((sum, name) => sum + tv[name], 0) };
      }),
    );
    for (const [s] of stages) {
      const stage = g.groups.find((x) => x.name === s)!;
      assert.deepStrictEqual(stage.children.map((c) => nameOf(g, c)), [`${s}.0`, `${s}.1 … ${s}.${stages.find((x) => x[0] === s)![1] - 1}`]);
    }
    // Folding moves no edge: every node is still there, and the opened graph is the whole model.
    assert.strictEqual(visibleGraph(g, new Set()).nodes.length, g.nodes.length);
  });

  const BLOCK = `import { nn, Tensor } from 'js-pytorch';
class Block extends nn.Module {
  fc: nn.Linear;
  act: nn.ReLU;
  residual: boolean;
  constructor(dim: number, residual = true) {
    super();
    this.fc = new nn.Linear(dim, dim);
    this.act = new nn.ReLU();
    this.residual = residual;
  }
  forward(x: Tensor): Tensor {
    const y = this.act.forward(this.fc.forward(x));
    return this.residual ? y.add(x) : y;
  }
}
`;
  const model = (blocks: string) => `${BLOCK}
/** @inputShape [2, 16] */
export class Net extends nn.Module {
  blocks: nn.ModuleList<Block>;
  constructor() {
    super();
    this.blocks = new nn.ModuleList([${blocks}]);
  }
  forward(x: Tensor): Tensor {
    for (const b of this.blocks) x = b.forward(x);
    return x;
  }
}`;

  it('identical means same type, same parameters and the same inside (layers and wiring); consecutive only', () => {
    // Four equal blocks from a loop-like list: one run of 4, its total the sum (16·16+16 = 272 each).
    let g = graphFromSource(model('new Block(16), new Block(16), new Block(16), new Block(16)'), 'Net');
    assert.deepStrictEqual(runs(g).map((r) => [r.repeat, r.params, r.paramsText]), [[4, 4 * 272, '1,088']]);
    // Same type and parameter count, but one block has no residual add: its inside differs, so only the first two fold.
    g = graphFromSource(model('new Block(16), new Block(16), new Block(16, false), new Block(16)'), 'Net');
    assert.deepStrictEqual(runs(g).map((r) => r.children.map((c) => nameOf(g, c))), [['blocks.0', 'blocks.1']]);
    // Same type, different widths: different parameters, nothing folds.
    g = graphFromSource(model('new Block(16), new Block(8)').replace('@inputShape [2, 16]', '@inputShape [2, 16]'), 'Net');
    assert.deepStrictEqual(runs(g), []);
    // Equal blocks that are not next to each other do not fold.
    g = graphFromSource(model('new Block(16), new Block(16, false), new Block(16)'), 'Net');
    assert.deepStrictEqual(runs(g), []);
  });

  it('a run with an unknown count totals to unknown, never a partial sum', () => {
    const node = (id: string, parent: string, params: number | null): DiagramNode => ({ id, kind: 'layer', type: 'Mystery', name: id, params, paramsText: params === null ? '?' : String(params), family: 'linear', line: 1, parent, shape: '' });
    const group = (id: string, row: number, params: number | null, children: string[]): DiagramGroup => ({ id, row, type: 'Block', name: id, params, paramsText: '', family: 'module', line: 1, shape: '', children });
    const groups = [group('g0', 0, null, ['n1']), group('g2', 2, null, ['n3'])];
    const made = foldRepeats(groups, [node('n1', 'g0', null), node('n3', 'g2', null)], []);
    assert.deepStrictEqual(made.map((r) => [r.id, r.repeat, r.params, r.paramsText]), [['r0', 2, null, '?']]);
  });

  it('default collapse: the folded runs; a big model also its deepest modules until it fits the limit', () => {
    const resnet50 = graphOf('test/fixtures/models/resnet50.ts', 'ResNet50');
    assert.deepStrictEqual(defaultCollapsed(resnet50), runs(resnet50).map((r) => r.id));
    const small = graphOf('examples/resnet.ts', 'ResNetTiny');
    assert.deepStrictEqual(defaultCollapsed(small), []);
    const big = buildDiagramGraph(syntheticResNet(1000));
    const collapsed = defaultCollapsed(big);
    const shown = visibleGraph(big, new Set(collapsed)).nodes.length;
    assert.ok(shown <= DEFAULT_VISIBLE_LIMIT, `${shown} visible`);
    assert.ok(shown > 10, `${shown} visible: not everything folded away`);
    for (const r of runs(big)) assert.ok(collapsed.includes(r.id));
  });
});
