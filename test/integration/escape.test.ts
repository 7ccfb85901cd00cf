// Every string from the user's code is inert, in the real VS Code: a tfjs file whose layer and
// model names and config strings are injection payloads (markdown links and images, HTML,
// `</script>`, `$(icon)`, control characters and ANSI escapes, bidi overrides, a very long name):
// what the hover, the lenses and the Problems show. And only real models are models: a non-ML file
// that extends Module gets no lens and no diagnostic.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, lenses, modellensDiagnostics, openUntitled, positionOf, waitFor } from './helpers';

// markdown-it ships with @vscode/vsce (a dev dependency): the hover's markdown rendered as a reader sees it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };

const PAYLOAD =
  'x [link](https://example.com/l) ![img](https://example.com/i.png) <img src=x onerror=alert(1)> </script><script>alert(2)</script> ' +
  '$(zap) \u001b[31mred\u001b[0m \u202egnp.exe\u202c a\u0007b | `tick` www.example.com';
// Line breaks aside (markdown has them between its own lines).
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;
const MARKDOWN_TAGS = new Set(['p', 'strong', 'em', 'code', 'a', 'hr', 'br']);

const SOURCE = [
  "import * as tf from '@tensorflow/tfjs';",
  `const P = ${JSON.stringify(PAYLOAD)};`,
  'export const model = tf.sequential({ name: P });',
  'model.add(tf.layers.dense({ units: 4, inputShape: [3], name: P }));',
  `model.add(tf.layers.dense({ units: 2, name: ${JSON.stringify('L'.repeat(20_000))} }));`,
  "model.add(tf.layers.dense({ units: P, name: 'bad_units' }));",
  '',
].join('\n');

describe('escaping in VS Code: injection payloads stay text', () => {
  before(activate);

  it('hover: untrusted, no HTML, no icons; rendered, no link but the docs and no image', async () => {
    const doc = await openUntitled(SOURCE);
    await waitFor('the payload model lens', async () => ((await lenses(doc.uri)).length >= 3 ? true : undefined));
    const pos = positionOf(doc, 'tf.layers.dense', 'tf.layers.'.length + 2, 0);
    // ModelLens's hover is the one carrying the layer's documentation link (the TypeScript hover is the other).
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? [];
    const ours = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c && c.value.includes('TensorFlow.js documentation]('));
    assert.strictEqual(ours.length, 1, `ModelLens hovers: ${ours.length}`);
    const md = ours[0];
    assert.ok(!md.isTrusted, 'isTrusted');
    assert.ok(!md.supportHtml, 'supportHtml');
    assert.ok(!md.supportThemeIcons, 'supportThemeIcons');
    const html = new MarkdownIt({ html: true, linkify: true }).render(md.value);
    const links = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepStrictEqual(links.filter((l) => !l.startsWith('https://js.tensorflow.org/')), [], html);
    for (const m of html.matchAll(/<\/?([a-z0-9]+)/gi)) assert.ok(MARKDOWN_TAGS.has(m[1].toLowerCase()), `<${m[1]}> in ${html}`);
    assert.ok(!ACTIVE.test(md.value), 'control characters in the hover');
    assert.ok(html.includes('[link]'), 'the payload is shown as text');
  });

  it('lenses: one bounded line each, no $(icon), no control characters', async () => {
    const doc = await openUntitled(SOURCE);
    const got = await waitFor('the payload lenses', async () => {
      const l = await lenses(doc.uri);
      return l.length >= 3 ? l : undefined;
    });
    assert.ok(got.some((l) => l.title.includes('[link]') || l.title.includes('units')), `a title quoting the payload: ${got.map((l) => l.title).join(' | ')}`);
    for (const l of got) {
      assert.ok(!ACTIVE.test(l.title), JSON.stringify(l.title));
      assert.ok(l.title.length <= 200, `${l.title.length} chars`);
      assert.ok(!/(^|[^\\])\$\(/.test(l.title), `an icon in ${l.title}`);
    }
  });

  it('Problems: the diagnostic quoting the config string is one bounded inert line', async () => {
    const doc = await openUntitled(SOURCE);
    const ds = await waitFor('the units diagnostic', () => {
      const d = modellensDiagnostics(doc.uri);
      return d.some((x) => x.message.includes('units')) ? d : undefined;
    });
    for (const d of ds) {
      assert.ok(!ACTIVE.test(d.message), JSON.stringify(d.message));
      assert.ok(d.message.length <= 1000);
    }
  });

  it('a non-ML file that extends Module and calls sequential() shows no lens and no diagnostic', async () => {
    const doc = await openUntitled(
      [
        "import { Module, sequential } from './framework';",
        'export class Store extends Module {',
        '  fc = new Linear(3, 4);',
        '  forward(x) { return this.fc.forward(x); }',
        '}',
        'export const steps = sequential([1, 2]);',
        'class Broken extends Module { x = ; }',
        '',
      ].join('\n'),
    );
    // The ML twin of the same text, opened after it, has lenses: once it does, the first was analysed too.
    const twin = await openUntitled(`import { nn } from 'js-pytorch';\n/** @inputShape [1, 3] */\nexport class Real extends nn.Module { fc = new nn.Linear(3, 4); forward(x) { return this.fc.forward(x); } }\n`);
    await waitFor('the ML twin lens', async () => ((await lenses(twin.uri)).length > 0 ? true : undefined));
    assert.deepStrictEqual(await lenses(doc.uri), []);
    assert.deepStrictEqual(modellensDiagnostics(doc.uri), []);
  });
});
