// Every string from the user's code is inert: the escaping functions (src/core/escape/) and each
// surface's text producer fed injection payloads as layer names, model names, config strings and
// import specifiers. Markdown is rendered with markdown-it (GFM-like: linkify on, HTML allowed, the
// strictest reading) to check what a reader would see, not only what the source text looks like.
import * as assert from 'assert';
import { analyzeSource } from '../../src/core/analyze';
import { markdownCode, markdownText } from '../../src/core/escape/markdown';
import { fileNamePart, iconFreeLine, inertStrings, notificationText, plainLine, plainLines, truncate } from '../../src/core/escape/plain';
import { xmlText } from '../../src/core/escape/xml';
import { formatSummary } from '../../src/core/format';
import { buildDiagramGraph } from '../../src/core/graph/build';
import type { FileSummary, ModelSummary } from '../../src/core/summary';
import { docsFor } from '../../src/extension/coreApi';
import { diagnosticText } from '../../src/extension/problemText';
import { layerHoverMarkdown } from '../../src/extension/hoverText';
import { layerLensTitle, layerLensTooltip, layerLenses, modelLensTitle, modelLensTooltip } from '../../src/extension/lensTitles';
import { panelModel } from '../../src/extension/panelModel';
import { tooltipHtml } from '../../webview/diagram/tooltip';

// markdown-it ships with @vscode/vsce (a dev dependency); a missing renderer fails these tests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };
const md = new MarkdownIt({ html: true, linkify: true });

/** Every payload the audit named, and a few more. */
const PAYLOAD =
  'x [link](https://example.com/l) ![img](https://example.com/i.png) <img src=x onerror=alert(1)> </script><script>alert(2)</script> ' +
  '$(zap) \u001b[31mred\u001b[0m \u202egnp.exe\u202c \u2066iso\u2069 a\u0000b\u0007c\u0085d | `tick` ``two`` *em* _u_ www.example.com mail@example.com &amp; <https://example.com/auto>';
const LONG = 'L'.repeat(100_000);
/** Characters that act rather than show (control, bidi, separators). */
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;
const ACTIVE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;

const TFJS = `import * as tf from '@tensorflow/tfjs';
const P = ${JSON.stringify(PAYLOAD)};
export const model = tf.sequential({ name: P });
model.add(tf.layers.dense({ units: 4, inputShape: [3], name: P }));
model.add(tf.layers.dense({ units: 2, name: ${JSON.stringify(LONG)} }));
model.add(tf.layers.dense({ units: P, name: 'bad_units' }));
`;
const TORCH = `import { nn } from 'js-pytorch';
import { missing } from ${JSON.stringify(`./${PAYLOAD}`)};
/** @inputShape [2, 3] */
export class Evil extends nn.Module {
  constructor() {
    super();
    this.fc = new nn.Linear(missing, 4);
    this.out = new nn.Linear(4, 2);
  }
  forward(x) { return this.out.forward(this.fc.forward(x)); }
}
`;

function analyzed(): { file: FileSummary; model: ModelSummary }[] {
  const tfjs = analyzeSource('/virtual/payload.tfjs.ts', TFJS);
  const torch = analyzeSource('/virtual/payload.ts', TORCH);
  assert.strictEqual(tfjs.models.length, 1, 'the tfjs payload model');
  assert.strictEqual(torch.models.length, 1, 'the torch payload model');
  // The payloads really reach the summaries (else the surfaces below would prove nothing).
  assert.strictEqual(tfjs.models[0].name, PAYLOAD);
  assert.strictEqual(tfjs.models[0].layers[0].name, PAYLOAD);
  const head = PAYLOAD.slice(0, 60);
  assert.ok(tfjs.models[0].layers.some((r) => r.unknownReason?.includes(head)), 'a reason quoting the config string');
  assert.ok(torch.models[0].layers.some((r) => r.unknownReason?.includes(head)), 'a reason quoting the import specifier');
  return [...[tfjs, torch].map((file) => ({ file, model: file.models[0] }))];
}

const MARKDOWN_TAGS = new Set(['p', 'strong', 'em', 'code', 'a', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li']);

/** What a reader sees in rendered Markdown must hold no link, image or HTML we did not write. */
function assertInertHtml(html: string, allowedLinks: string[] = []): void {
  const links = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);
  for (const l of links) assert.ok(allowedLinks.includes(l), `unexpected link ${l} in ${html.slice(0, 2000)}`);
  // Only markdown's own tags: the payload's `<img>` and `<script>` must arrive as `&lt;` text.
  const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1].toLowerCase()));
  for (const t of tags) assert.ok(MARKDOWN_TAGS.has(t), `a <${t}> tag in ${html.slice(0, 2000)}`);
  assert.ok(!ACTIVE.test(html), 'control or bidi characters in rendered markdown');
}

describe('escaping: the functions', () => {
  it('plainLine: one line, active characters as \\uNNNN, bounded, idempotent', () => {
    assert.strictEqual(plainLine('a\u001b[31mb\u202ec\nd\te'), 'a\\u001b[31mb\\u202ec d e');
    assert.strictEqual(plainLine('\u0085\u2028\u2066\ufeff'), '\\u0085\\u2028\\u2066\\ufeff');
    assert.strictEqual(plainLine('\ud800x'), '\\ud800x', 'a lone surrogate');
    assert.strictEqual(plainLine('😀'), '😀', 'a surrogate pair stays');
    assert.strictEqual(plainLine(LONG).length, 200);
    assert.ok(plainLine(LONG).endsWith('…'));
    assert.strictEqual(plainLine(plainLine(PAYLOAD, 5000), 5000), plainLine(PAYLOAD, 5000));
    assert.ok(!ACTIVE_ONE_LINE.test(plainLine(PAYLOAD, 5000)));
  });

  it('truncate never splits a surrogate pair', () => {
    assert.strictEqual(truncate('ab😀cd', 4), 'ab…');
    assert.strictEqual(truncate('abc', 3), 'abc');
  });

  it('plainLines keeps line breaks and nothing else active', () => {
    assert.strictEqual(plainLines('a\r\nb\u001b[0m\n\u202ec'), 'a\nb\\u001b[0m\n\\u202ec');
  });

  it('iconFreeLine and notificationText neutralise $(icon) and [text](url)', () => {
    assert.strictEqual(iconFreeLine('$(zap) ok $(x~spin)'), '\\$(zap) ok \\$(x~spin)');
    assert.strictEqual(notificationText('[a](https://e.com) $(zap)'), '[a] (https://e.com) \\$(zap)');
  });

  it('markdownText renders as the same text, with no link, image, autolink or HTML', () => {
    const html = md.render(markdownText(PAYLOAD, 5000));
    assertInertHtml(html);
    // The reader sees the words (escapes shown as text).
    for (const word of ['[link]', 'onerror', '$(zap)', '\\u001b', '\\u202e', 'www.example.com', 'mail@example.com']) {
      assert.ok(html.includes(word.replace(/&/g, '&amp;')), `${word} in ${html}`);
    }
    // Punctuation that means nothing stays readable.
    assert.strictEqual(markdownText('x (LSTM): units; "a" / b?'), 'x (LSTM): units; "a" / b?');
    assert.strictEqual(markdownText('1) item'), '1\\) item');
    assert.ok(!md.render(`- ${markdownText('1) # not a heading')}`).includes('<h1'));
  });

  it('markdownCode: a code span nothing can close', () => {
    for (const s of [PAYLOAD, '`', '``x``', 'a ` b', ' `lead', 'trail` ']) {
      const html = md.render(`before ${markdownCode(s, 5000)} after`);
      assert.strictEqual((html.match(/<code>/g) ?? []).length, 1, html);
      assertInertHtml(html);
    }
    // In a table a pipe would split the cell even inside code.
    const table = md.render(`| a | b |\n| --- | --- |\n| ${markdownCode('x|y', 200, true)} | z |`);
    assert.ok(table.includes('<td><code>x|y</code></td>'), table);
  });

  it('xmlText: entities, no control characters (XML 1.0 forbids them), bounded', () => {
    assert.strictEqual(xmlText(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xmlText(PAYLOAD, 5000)));
    assert.ok(!/<|>/.test(xmlText(PAYLOAD, 5000)));
    assert.strictEqual(xmlText(LONG).length, 200);
  });

  it('inertStrings reaches every string of a message', () => {
    const out = inertStrings({ a: PAYLOAD, b: [{ c: '\u202e' }], n: 3, z: null });
    assert.strictEqual(out.b[0].c, '\\u202e');
    assert.strictEqual(out.n, 3);
    assert.strictEqual(out.z, null);
    assert.ok(!ACTIVE.test(JSON.stringify(out).replace(/\\u00[0-9a-f]{2}/g, '')));
  });

  it('fileNamePart: no separators, no leading dots, never empty', () => {
    assert.strictEqual(fileNamePart('../../etc/passwd'), '__.._etc_passwd');
    assert.strictEqual(fileNamePart(''), 'model');
    assert.ok(fileNamePart(LONG).length <= 80);
  });
});

describe('escaping: every surface fed the payloads', () => {
  let cases: { file: FileSummary; model: ModelSummary }[] = [];
  before(() => {
    cases = analyzed();
  });

  it('hover markdown: no remote image, no link but the docs, no HTML, no control characters', () => {
    let hovers = 0;
    for (const { model } of cases) {
      for (const r of model.layers) {
        const docs = r.catalogKey ? docsFor(r.catalogKey) : undefined;
        if (!docs) continue;
        hovers++;
        const text = layerHoverMarkdown(r, model, docs);
        assertInertHtml(md.render(text), [docs.url]);
        assert.ok(text.length < 6000, 'a bounded hover');
      }
    }
    assert.ok(hovers >= 4, `hovers checked: ${hovers}`);
  });

  it('CodeLens titles and tooltips: one bounded line, no $(icon) in titles, no control characters', () => {
    let titles = 0;
    for (const { file, model } of cases) {
      const lenses = layerLenses(file);
      const shown = [modelLensTitle(model), ...lenses.map((l) => layerLensTitle(l.row, l.model))];
      const tips = [modelLensTooltip(model), ...lenses.map((l) => layerLensTooltip(l.row))];
      for (const t of [...shown, ...tips]) {
        titles++;
        assert.ok(!ACTIVE_ONE_LINE.test(t), JSON.stringify(t));
        assert.ok(t.length <= 200, `${t.length} chars`);
      }
      // A title renders `$(name)` as an icon unless escaped; a tooltip is plain text.
      for (const t of shown) assert.ok(!/(^|[^\\])\$\(/.test(t), `an icon in ${t}`);
    }
    assert.ok(titles >= 8, `titles checked: ${titles}`);
  });

  it('Problems: every diagnostic message one bounded inert line', () => {
    const messages = cases.flatMap(({ file, model }) => [...file.diagnostics, ...model.diagnostics]).map((d) => d.message);
    assert.ok(messages.some((m) => m.includes(PAYLOAD.slice(0, 60))), 'a diagnostic quotes the payload');
    for (const m of messages) {
      const shown = diagnosticText(m);
      assert.ok(!ACTIVE_ONE_LINE.test(shown), shown);
      assert.ok(shown.length <= 1000);
    }
  });

  it('the summary panel: every string posted is inert; names one bounded line', () => {
    for (const { file, model } of cases) {
      const view = panelModel(file, model, 'payload.ts');
      assert.ok(!ACTIVE.test(JSON.stringify(view).replace(/\\u00[0-9a-f]{2}/g, '')), 'control characters in the posted model');
      for (const r of view.rows) assert.ok(r.name.length <= 200 && r.path.length <= 200 && !ACTIVE_ONE_LINE.test(r.name));
      assert.ok(view.title.length <= 200);
    }
  });

  it('the diagram graph and its markup: names one bounded line, tooltips escaped', () => {
    for (const { model } of cases) {
      const graph = buildDiagramGraph(model);
      for (const item of [...graph.nodes, ...graph.groups]) {
        for (const s of [item.type, item.name, item.hyper ?? '', 'detail' in item ? (item.detail ?? '') : '']) {
          assert.ok(!ACTIVE_ONE_LINE.test(s), JSON.stringify(s));
          assert.ok(s.length <= 1000);
        }
        const html = tooltipHtml(graph, item.id, false);
        assert.ok(html !== undefined);
        assert.ok(!/<(?!\/?(div|span)\b)/.test(html!), `markup other than ours in ${html}`);
      }
      assert.ok(graph.model.name.length <= 200);
    }
  });

  it('text summaries (seed, torchinfo, keras): no control characters; markdown: rows keep their columns', () => {
    for (const { model } of cases) {
      for (const f of ['seed', 'torchinfo', 'keras'] as const) assert.ok(!ACTIVE.test(formatSummary(model, f)), f);
      const text = formatSummary(model, 'markdown');
      assert.ok(!ACTIVE.test(text));
      const html = md.render(text);
      assertInertHtml(html);
      // Every table row renders with exactly the header's four cells.
      for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) assert.strictEqual((row.match(/<t[dh][ >]/g) ?? []).length, 4, row);
    }
  });
});
