import * as assert from 'assert';
import { spawnSync } from 'child_process';

/** Debian's python3-torch, which every test that asks real PyTorch runs. */
export const PYTHON = '/usr/bin/python3';

/**
 * Real PyTorch's counts for a module a Python file makes, as `parameters()` counts them (a shared
 * tensor once): `expr` is evaluated in the file's namespace (`M()` builds the class M, `model`
 * reads a module-level variable).
 */
export function torchCounts(file: string, expr: string, env: NodeJS.ProcessEnv = {}): { total: number; trainable: number } {
  const script = [
    'import runpy, sys',
    'ns = runpy.run_path(sys.argv[1])',
    `m = eval(sys.argv[2], ns)`,
    'ps = list(m.parameters())',
    'print(sum(p.numel() for p in ps), sum(p.numel() for p in ps if p.requires_grad))',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script, file, expr], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.strictEqual(r.status, 0, `${PYTHON} could not build ${expr} from ${file} (is python3-torch installed?):\n${r.stderr}`);
  const [total, trainable] = r.stdout.trim().split(/\s+/).map(Number);
  return { total, trainable };
}
