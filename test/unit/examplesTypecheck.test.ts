import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { analyzeSource } from '../../src/core/analyze';

const ROOT = path.resolve(__dirname, '../../..');

/** Type errors of a program, one line each (`file:line: message`), as VS Code would underline them. */
function errors(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('the examples open without red squiggles', function () {
  this.timeout(120_000);

  it('examples/tsconfig.json type-checks with no error: every import resolves (tfjs from node_modules, js-pytorch from js-pytorch.d.ts)', () => {
    const configPath = path.join(ROOT, 'examples', 'tsconfig.json');
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) });
    assert.ok(parsed, 'examples/tsconfig.json parses');
    assert.deepStrictEqual(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
    // Every example is in the program VS Code builds for the folder.
    const files = parsed.fileNames.map((f) => path.basename(f)).sort();
    for (const f of ['cnn.ts', 'cnn.tfjs.ts', 'resnet.ts', 'transformer.ts', 'js-pytorch.d.ts']) assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
    assert.deepStrictEqual(errors(ts.createProgram(parsed.fileNames, parsed.options)), []);
  });

  it('ModelLens itself underlines nothing in any example, TypeScript or Python (its problems are what the editor shows)', () => {
    const dir = path.join(ROOT, 'examples');
    const files = [
      ...fs.readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => path.join(dir, f)),
      ...fs.readdirSync(path.join(dir, 'python')).filter((f) => f.endsWith('.py')).map((f) => path.join(dir, 'python', f)),
    ];
    assert.ok(files.filter((f) => f.endsWith('.py')).length >= 6 && files.filter((f) => f.endsWith('.ts')).length >= 10, files.join(', '));
    const found: string[] = [];
    for (const file of files) {
      const summary = analyzeSource(file, fs.readFileSync(file, 'utf8'), { roots: [dir] });
      assert.ok(summary.models.length > 0, `${path.relative(ROOT, file)}: no model`);
      for (const d of [...summary.diagnostics, ...summary.models.flatMap((m) => m.diagnostics)]) found.push(`${path.relative(ROOT, file)}:${d.line}: ${d.severity}: ${d.message}`);
    }
    assert.deepStrictEqual([...new Set(found)], []);
  });

  it('the Python examples read no name they do not define or import (what Pylance underlines), but the primer\'s custom_summary', () => {
    // Real Python's own parser: every name read anywhere in the file must be bound somewhere in
    // it (an import, an assignment, a def/class, a parameter, a loop or with target) or be a builtin.
    const check = [
      'import ast, builtins, json, sys',
      'out = {}',
      'for path in sys.argv[1:]:',
      '    tree = ast.parse(open(path).read(), path)',
      '    bound = set(dir(builtins)) | {"__file__"}',
      '    read = set()',
      '    for n in ast.walk(tree):',
      '        if isinstance(n, ast.Name):',
      '            (read if isinstance(n.ctx, ast.Load) else bound).add(n.id)',
      '        elif isinstance(n, ast.arg):',
      '            bound.add(n.arg)',
      '        elif isinstance(n, (ast.Import, ast.ImportFrom)):',
      '            bound.update((a.asname or a.name.split(".")[0]) for a in n.names)',
      '        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):',
      '            bound.add(n.name)',
      '        elif isinstance(n, ast.ExceptHandler) and n.name:',
      '            bound.add(n.name)',
      '    out[path.split("/")[-1]] = sorted(read - bound)',
      'print(json.dumps(out))',
    ].join('\n');
    const dir = path.join(ROOT, 'examples', 'python');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort();
    const r = spawnSync('/usr/bin/python3', ['-c', check, ...files.map((f) => path.join(dir, f))], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const undefinedNames = Object.entries(JSON.parse(r.stdout) as Record<string, string[]>).filter(([, names]) => names.length > 0);
    // simple_mlp.py is the primer's literal code: its custom_summary is the primer's own helper, defined outside the snippet.
    assert.deepStrictEqual(undefinedNames, [['simple_mlp.py', ['custom_summary']]]);
  });

  it('the ResNet-50 the diagram tests read is well-typed against the same declarations', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'examples', 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const files = [path.join(ROOT, 'test/fixtures/models/resnet50.ts'), path.join(ROOT, 'examples/js-pytorch.d.ts')];
    assert.deepStrictEqual(errors(ts.createProgram(files, parsed.options)), []);
  });
});
