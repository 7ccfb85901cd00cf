import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import { clearPythonParseCache, parsePython } from '../../src/core/lang/python/parse';
import { generatePythonFile } from '../../scripts/generate-python-models';

/*
 * A Python file edited in the editor is re-parsed from its previous lezer tree
 * (src/core/lang/python/parse.ts, TreeFragment.applyChanges): the result must be exactly the
 * tree a parse from scratch gives — every node, position and syntax error — through typing,
 * deleting, pasting, a half-typed call and its fix, and edits at the very start and end. The
 * parse from scratch (no file given) is the reference.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PY_EXAMPLES = path.join(ROOT, 'examples', 'python');

/** A small seeded generator (mulberry32), so a failing edit sequence can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['x', '(', ')', ':', '\n', '    ', 'nn.Linear(784, ', '0', ', 10)', 'self.', '"""', '#', 'def f(self):\n        return 1\n', 'class A(nn.Module):\n    pass\n', ' ', '[', ']', "'"];

/** Random edits of a text: insertions of Python fragments, deletions of up to a line, replacements. */
function* randomEdits(text: string, seed: number, count: number): Generator<string> {
  const r = rng(seed);
  let t = text;
  for (let i = 0; i < count; i++) {
    const at = Math.floor(r() * (t.length + 1));
    const kind = r();
    const snippet = SNIPPETS[Math.floor(r() * SNIPPETS.length)];
    const del = Math.min(t.length - at, Math.floor(r() * 60));
    if (kind < 0.4) t = t.slice(0, at) + snippet + t.slice(at);
    else if (kind < 0.7) t = t.slice(0, at) + t.slice(at + del);
    else t = t.slice(0, at) + snippet + t.slice(at + del);
    yield t;
  }
}

/** Parses each text in turn as edits of one file, comparing with a parse from scratch. */
function checkSequence(file: string, texts: Iterable<string>): number {
  let n = 0;
  for (const text of texts) {
    assert.deepStrictEqual(parsePython(text, file), parsePython(text), `${file}, step ${n + 1}`);
    n++;
  }
  return n;
}

describe('Python: incremental re-parse after an edit', () => {
  beforeEach(() => clearPythonParseCache());

  it('every example, through 60 random edits each: the same tree as a parse from scratch', () => {
    const files = fs.readdirSync(PY_EXAMPLES).filter((f) => f.endsWith('.py'));
    assert.ok(files.length >= 5, files.join(', '));
    let steps = 0;
    files.forEach((f, i) => {
      const text = fs.readFileSync(path.join(PY_EXAMPLES, f), 'utf8');
      steps += checkSequence(`/virtual/${f}`, [text, ...randomEdits(text, 1000 + i, 60)]);
    });
    assert.strictEqual(steps, files.length * 61);
  });

  it('edits that keep a generated 800-line file valid (sizes, blank lines, comments, repeated layers): 3 × 40 steps', () => {
    let clean = 0;
    for (let seed = 0; seed < 3; seed++) {
      const r = rng(seed);
      let text = generatePythonFile({ lines: 800, models: 30, seed });
      const texts = [text];
      for (let i = 0; i < 40; i++) {
        const lines = text.split('\n');
        const li = Math.floor(r() * lines.length);
        const k = r();
        const digit = /\d/.exec(lines[li]);
        if (k < 0.3 && digit) lines[li] = lines[li].slice(0, digit.index) + String(Math.floor(r() * 10)) + lines[li].slice(digit.index + 1);
        else if (k < 0.5) lines.splice(li, 0, '');
        else if (k < 0.7) lines.splice(li, 0, `${/^\s*/.exec(lines[li])![0]}# note ${i}`);
        else if (k < 0.85 && lines[li].trim() === '') lines.splice(li, 1);
        else if (/^\s+self\.\w+ = [^(]*\([^()]*\)$/.test(lines[li])) lines.splice(li, 0, lines[li]);
        text = lines.join('\n');
        texts.push(text);
      }
      checkSequence(`/virtual/valid-${seed}.py`, texts);
      clean += texts.filter((t) => parsePython(t).errors.length === 0).length;
    }
    // Every step stayed valid: each was an incremental parse compared with a parse from scratch.
    assert.strictEqual(clean, 3 * 41);
  });

  it('typing a layer in the middle of a 2,000-line file, character by character, then deleting it again', () => {
    const text = generatePythonFile({ lines: 2000, models: 80, seed: 14 });
    // Before a layer line of a constructor past the middle: most states on the way are valid code.
    const at = text.indexOf('\n        self.', text.length >> 1) + 1;
    assert.ok(at > 0);
    const typed = '        self.extra = nn.Linear(64, 32)\n';
    const texts = [text];
    for (let k = 1; k <= typed.length; k++) texts.push(text.slice(0, at) + typed.slice(0, k) + text.slice(at));
    for (let k = typed.length - 1; k >= 0; k--) texts.push(text.slice(0, at) + typed.slice(0, k) + text.slice(at));
    assert.strictEqual(checkSequence('/virtual/big.py', texts), 2 * typed.length + 1);
  });

  it('edits at the start and the end, a paste, an unclosed call and its fix, the file emptied', () => {
    const text = fs.readFileSync(path.join(PY_EXAMPLES, 'simple_mlp.py'), 'utf8');
    const half = text.indexOf('nn.Linear(');
    const texts = [
      text,
      `# a comment first\n${text}`,
      `${text}\nmodel = SimpleMLP()\n`,
      text.slice(0, half) + 'nn.Linear(784, ' + text.slice(half), // an unclosed call: lezer recovers with error nodes
      text,
      text + text, // a paste of the whole file
      '',
      text,
    ];
    checkSequence('/virtual/simple_mlp.py', texts);
    // The half-typed text does have syntax errors (the recovery is what is compared above).
    assert.ok(parsePython(texts[3]).errors.length > 0);
  });

  it('an analysis after edits equals the analysis of the same text with every cache cleared', () => {
    const file = path.join(PY_EXAMPLES, 'cnn.py');
    const text = fs.readFileSync(file, 'utf8');
    const edited = [...randomEdits(text, 7, 12)].at(-1)!;
    const roots = [PY_EXAMPLES];
    analyzeSource(file, text, { roots });
    const afterEdit = analyzeSource(file, edited, { roots });
    clearAnalysisCache();
    clearPythonParseCache();
    assert.deepStrictEqual(JSON.parse(JSON.stringify(afterEdit)), JSON.parse(JSON.stringify(analyzeSource(file, edited, { roots }))));
  });
});
