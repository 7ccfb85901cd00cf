// Measures the two candidate Python parsers for ModelLens's Python front end (docs/python-parser.md):
// @lezer/python (a dependency) against web-tree-sitter + tree-sitter-python (NOT dependencies: install
// them into a scratch folder outside the repo and pass it, e.g.
//   mkdir /tmp/pyparse && cd /tmp/pyparse && npm init -y && npm i web-tree-sitter tree-sitter-python
//   node scripts/measure-python-parsers.mjs /tmp/pyparse
// ). Input: a 5,000-line file made of torchvision's installed model sources (Debian's
// python3-torchvision), and two half-typed files. Prints speed, start-up, bundle sizes and what
// each parser keeps of the half-typed files.
import { createRequire } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const scratch = process.argv[2];
if (!scratch) {
  console.error('usage: node scripts/measure-python-parsers.mjs <folder with web-tree-sitter and tree-sitter-python installed>');
  process.exit(2);
}
const here = createRequire(import.meta.url);
const there = createRequire(path.join(path.resolve(scratch), 'package.json'));
const MODELS = '/usr/lib/python3/dist-packages/torchvision/models';

// A 5,000-line file of real model code: torchvision's model files, concatenated and cut at 5,000 lines.
const files = fs.readdirSync(MODELS).filter((f) => f.endsWith('.py')).sort();
let lines = [];
for (const f of files) lines.push(...fs.readFileSync(path.join(MODELS, f), 'utf8').split('\n'));
lines = lines.slice(0, 5000);
const big = lines.join('\n') + '\n';

const HALF_LINEAR = `import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784,
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        return self.fc2(self.fc1(x))

class Other(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
`;
const HALF_SELF = `import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.

    def forward(self, x):
        x = self.
        return self.fc2(x)
`;

function time(fn, rounds) {
  for (let i = 0; i < 5; i++) fn(); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
}

function sizeOf(file) {
  const b = fs.readFileSync(file);
  return { raw: b.length, gz: zlib.gzipSync(b).length };
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

// --- @lezer/python ---
const t0 = process.hrtime.bigint();
const { parser } = here('@lezer/python');
const lezerLoad = Number(process.hrtime.bigint() - t0) / 1e6;
const lezerMs = time(() => parser.parse(big), 20);

/** Top-level class names, their methods, and the `self.x =` assignments lezer's tree keeps. */
function lezerOutline(text) {
  const tree = parser.parse(text);
  const out = [];
  let errors = 0;
  tree.iterate({
    enter(n) {
      if (n.type.isError) errors++;
      if (n.name === 'ClassDefinition' || n.name === 'FunctionDefinition') {
        const name = n.node.getChild('VariableName');
        if (name) out.push(`${n.name === 'ClassDefinition' ? 'class' : 'def'} ${text.slice(name.from, name.to)}`);
      }
      if (n.name === 'AssignStatement') {
        const s = text.slice(n.from, n.to).split('=')[0].trim();
        if (s.startsWith('self.')) out.push(s);
      }
      if (n.name === 'ReturnStatement') out.push('return');
    },
  });
  return { out, errors };
}

// --- web-tree-sitter ---
const { Parser, Language } = await import(there.resolve('web-tree-sitter'));
const t1 = process.hrtime.bigint();
await Parser.init();
const lang = await Language.load(there.resolve('tree-sitter-python/tree-sitter-python.wasm'));
const tsLoad = Number(process.hrtime.bigint() - t1) / 1e6;
const tsParser = new Parser();
tsParser.setLanguage(lang);
const tsMs = time(() => tsParser.parse(big).delete(), 20);

function tsOutline(text) {
  const tree = tsParser.parse(text);
  const out = [];
  let errors = 0;
  const walk = (n) => {
    if (n.type === 'ERROR' || n.isMissing) errors++;
    if (n.type === 'class_definition' || n.type === 'function_definition') {
      const name = n.childForFieldName('name');
      if (name) out.push(`${n.type === 'class_definition' ? 'class' : 'def'} ${name.text}`);
    }
    if (n.type === 'assignment') {
      const l = n.childForFieldName('left');
      if (l && l.text.startsWith('self.')) out.push(l.text);
    }
    if (n.type === 'return_statement') out.push('return');
    for (const c of n.children) walk(c);
  };
  walk(tree.rootNode);
  tree.delete();
  return { out, errors };
}

const mb = big.length / 1e6;
console.log(`input: ${lines.length} lines, ${(big.length / 1024).toFixed(0)} KB from ${files.length} torchvision model files`);
console.log('');
console.log(`@lezer/python:  ${lezerMs.toFixed(1)} ms per parse (${(mb / (lezerMs / 1000)).toFixed(1)} MB/s), load ${lezerLoad.toFixed(1)} ms, synchronous`);
console.log(`web-tree-sitter: ${tsMs.toFixed(1)} ms per parse (${(mb / (tsMs / 1000)).toFixed(1)} MB/s), init + grammar load ${tsLoad.toFixed(1)} ms, asynchronous (await Parser.init(), Language.load)`);
console.log('');
const lezerFiles = ['@lezer/python/dist/index.js', '@lezer/lr/dist/index.js', '@lezer/common/dist/index.js'].map((f) => here.resolve(f.replace('/dist/index.js', '')).replace(/index\.cjs$/, 'index.js'));
let lz = { raw: 0, gz: 0 };
for (const f of lezerFiles) {
  const s = sizeOf(f);
  lz = { raw: lz.raw + s.raw, gz: lz.gz + s.gz };
}
const tsFiles = [there.resolve('web-tree-sitter').replace(/[^/]+$/, 'web-tree-sitter.js'), there.resolve('web-tree-sitter').replace(/[^/]+$/, 'web-tree-sitter.wasm'), there.resolve('tree-sitter-python/tree-sitter-python.wasm')];
let ts = { raw: 0, gz: 0 };
for (const f of tsFiles) {
  const s = sizeOf(f);
  ts = { raw: ts.raw + s.raw, gz: ts.gz + s.gz };
}
console.log(`size: @lezer/python + @lezer/lr + @lezer/common (ESM builds, unminified): ${kb(lz.raw)} (${kb(lz.gz)} gzipped)`);
console.log(`size: web-tree-sitter.js + web-tree-sitter.wasm + tree-sitter-python.wasm: ${kb(ts.raw)} (${kb(ts.gz)} gzipped)`);
for (const [name, text] of [['unclosed nn.Linear(784,', HALF_LINEAR], ['dangling nn. and self.', HALF_SELF]]) {
  console.log('');
  console.log(`half-typed file: ${name}`);
  const a = lezerOutline(text);
  const b = tsOutline(text);
  console.log(`  @lezer/python   (${a.errors} error nodes): ${a.out.join(', ')}`);
  console.log(`  web-tree-sitter (${b.errors} error nodes): ${b.out.join(', ')}`);
}
