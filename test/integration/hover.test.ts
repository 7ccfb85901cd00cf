// Hover docs through `vscode.executeHoverProvider` (all providers: the built-in TypeScript hover
// is there too, so assertions look for ModelLens's own text).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, hoverText, openExample, openUntitled, positionOf } from './helpers';

async function hoverAt(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? []);
}

describe('hover', () => {
  before(activate);

  it('nn.Linear shows the docs, the filled formula, shapes, mult-adds and the PyTorch link', async () => {
    const doc = await openExample('simple-mlp.ts');
    const text = await hoverAt(doc, positionOf(doc, 'nn.Linear(inputSize', 4));
    assert.ok(text.includes('128 × 516 + 516 = 66,564'), text);
    assert.ok(text.includes('in_features × out_features + out_features (bias)'), text);
    assert.ok(text.includes('`[64, 128]` → `[64, 516]`'), text);
    // Mult-adds of Linear(128, 516) on a [64, 128] batch: 64 × 66,564 (torchinfo's count).
    assert.ok(text.includes('**Mult-adds:** 4,260,096'), text);
    assert.ok(text.includes('(https://pytorch.org/docs/stable/generated/torch.nn.Linear.html)'), text);
  });

  it('the field name in forward shows that layer (fc2: 516 × 516 + 516)', async () => {
    const doc = await openExample('simple-mlp.ts');
    const text = await hoverAt(doc, positionOf(doc, 'this.fc2.forward', 'this.'.length + 1));
    assert.ok(text.includes('516 × 516 + 516 = 266,772'), text);
  });

  it('tf.layers.dense leads with the kind and its numbers, with None batch dims, the auto-generated name after', async () => {
    const doc = await openExample('simple-mlp.tfjs.ts');
    const text = await hoverAt(doc, positionOf(doc, 'tf.layers.dense', 'tf.layers.'.length + 2));
    // Ours ends at its documentation link (the TypeScript hover follows).
    const ours = text.slice(text.indexOf('**Dense**'), text.indexOf('documentation]('));
    assert.ok(ours.startsWith('**Dense** · 66,564 params · `[None, 128]` → `[None, 516]`'), text);
    assert.ok(ours.includes('128 × 516 + 516 = 66,564'), text);
    assert.ok(ours.indexOf('dense\\_Dense1') > ours.indexOf('66,564'), text);
    assert.ok(text.includes('(https://js.tensorflow.org/api/latest/#layers.dense)'), text);
    // Short: the numbers, the name, one paragraph of docs and the link.
    assert.ok(ours.split('\n').filter((l) => l.trim() !== '').length <= 7, ours);
  });

  it('an unknown layer kind and a constructor argument get no ModelLens hover', async () => {
    const doc = await openUntitled(
      [
        "import { nn, Tensor } from 'js-pytorch';",
        '/** @inputShape [4, 10] */',
        'export class Odd extends nn.Module {',
        '  fc: nn.Linear;',
        '  odd: nn.Mystery;',
        '  constructor() {',
        '    super();',
        '    this.fc = new nn.Linear(10, 20);',
        '    this.odd = new nn.Mystery();',
        '  }',
        '  forward(x: Tensor): Tensor {',
        '    return this.odd.forward(this.fc.forward(x));',
        '  }',
        '}',
      ].join('\n'),
    );
    // The same position kind works for the known layer (so the empty answers below mean something).
    const known = await hoverAt(doc, positionOf(doc, 'nn.Linear(10', 4));
    assert.ok(known.includes('10 × 20 + 20 = 220') && known.includes('**Mult-adds:**'), known);
    const unknown = await hoverAt(doc, positionOf(doc, 'nn.Mystery()', 4));
    assert.ok(!unknown.includes('**Mult-adds:**') && !unknown.includes('documentation]('), unknown);
    const arg = await hoverAt(doc, positionOf(doc, 'nn.Linear(10, 20)', 'nn.Linear(1'.length));
    assert.ok(!arg.includes('**Mult-adds:**'), arg);
  });
});
