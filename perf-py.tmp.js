const { generatePythonFile } = require('./out/scripts/generate-python-models.js');
const { parser } = require('@lezer/python');
const { parsePython } = require('./out/src/core/lang/python/parse.js');
const { handle } = require('./out/src/analysisWorker/worker.js');
const text = generatePythonFile({ lines: 5000, models: 200, seed: 5000 });
const re = /(def __init__\(self, in_features=)(\d+)/;
const lines = text.split('\n'); const li = lines.findIndex((l, i) => i > 2400 && re.test(l));
const a = [], b = [], c = [];
for (let i = 0; i < 40; i++) {
  const ls = [...lines]; ls[li] = ls[li].replace(re, (m, p) => p + (100 + (i % 2))); const t2 = ls.join('\n');
  let t = performance.now(); parser.parse(t2); a.push(performance.now() - t);
  t = performance.now(); parsePython(t2); b.push(performance.now() - t);
  t = performance.now(); handle({ id: 1, file: '/tmp/b.py', text: t2, language: 'python', disk: true, roots: ['/tmp'], maxFileBytes: 1 << 21, open: [], fetched: [], cancel: new SharedArrayBuffer(4) }); c.push(performance.now() - t);
}
const med = (x) => x.sort((p, q) => p - q)[x.length >> 1].toFixed(1);
console.log('lezer parse', med(a), 'parse+convert', med(b), 'worker handle (all)', med(c));
