import * as path from 'path';
import { DEFAULT_MAX_FILE_BYTES, analyzeSource } from '../core/analyze';
import { findProjectRoot, readRegularFile } from '../core/fileAccess';
import { UsageError, parseInputShapeFlag } from './flags';
import { RUN_HELP, synopsis, wantsHelp } from './help';
import { ForwardPassError, formatBytes, formatForwardText, runForwardPass } from '../runtime';

/**
 * `modellens run <file.ts> [--model NAME] [--input-shape ...] [--format text|json]
 *  [--backend wasm|cpu] [--seed N] [--batch N] [--timeout MS] [--yes]`
 * builds the analyzed model in TensorFlow.js, runs one seeded forward pass in a worker and
 * compares it with the static analysis. Exit code: 0 when they agree, 1 on findings or when the
 * model can't be run, 2 on usage errors.
 */


interface RunArgs {
  file: string;
  model?: string;
  inputShapes?: (number | null)[][];
  format: 'text' | 'json';
  backend: 'wasm' | 'cpu';
  seed: number;
  batch?: number;
  timeoutMs?: number;
  yes: boolean;
}

function int(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs an integer ≥ ${min}, not "${v}"`);
  return n;
}

function parseArgs(argv: string[]): RunArgs {
  const rest = argv[0] === 'run' ? argv.slice(1) : argv;
  const out: Partial<RunArgs> = { format: 'text', backend: 'wasm', seed: 0, yes: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--model') out.model = value();
    else if (a === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw new UsageError(`unknown format "${f}" (text or json)`);
      out.format = f;
    } else if (a === '--backend') {
      const b = value();
      if (b !== 'wasm' && b !== 'cpu') throw new UsageError(`unknown backend "${b}" (wasm or cpu)`);
      out.backend = b;
    } else if (a === '--seed') out.seed = int(a, value(), 0);
    else if (a === '--batch') out.batch = int(a, value(), 1);
    else if (a === '--timeout') out.timeoutMs = int(a, value(), 1);
    else if (a === '--yes') out.yes = true;
    else if (a === '--input-shape') {
      out.inputShapes = parseInputShapeFlag(value());
    } else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
    else if (out.file === undefined) out.file = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (!out.file) throw new UsageError('missing <file>');
  return out as RunArgs;
}

export async function runMain(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s), writeErr: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  if (wantsHelp(argv)) {
    write(RUN_HELP);
    return 0;
  }
  let args: RunArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      writeErr(`modellens: ${e.message}\n${synopsis('run')}\n`);
      return 2;
    }
    throw e;
  }
  const file = path.resolve(args.file);
  // Only a regular file under the size limit is opened (never a FIFO or a device).
  const read = readRegularFile(file, DEFAULT_MAX_FILE_BYTES);
  if (!('text' in read)) {
    writeErr('size' in read ? `modellens: ${args.file} is larger than the ${DEFAULT_MAX_FILE_BYTES / 1024} KB limit\n` : `modellens: cannot read ${args.file}: ${read.refused}\n`);
    return 2;
  }
  const models = analyzeSource(file, read.text, { inputShapes: args.inputShapes, roots: [findProjectRoot(file)] }).models;
  const names = models.map((m) => m.name);
  const chosen = args.model ? models.filter((m) => m.name === args.model) : models;
  if (chosen.length === 0) {
    writeErr(args.model ? `modellens: no model named "${args.model}"${names.length ? ` (found: ${names.join(', ')})` : ''}\n` : `modellens: no models found in ${args.file}\n`);
    return 2;
  }
  if (chosen.length > 1) {
    writeErr(`modellens: ${args.file} defines ${chosen.length} models; pick one with --model (found: ${names.join(', ')})\n`);
    return 2;
  }
  const model = chosen[0];
  try {
    const result = await runForwardPass(model, {
      backend: args.backend,
      seed: args.seed,
      batch: args.batch,
      timeoutMs: args.timeoutMs,
      onLargeModel: (bytes) => {
        if (!args.yes) writeErr(`modellens: ${model.name} needs about ${formatBytes(bytes)}; pass --yes to run it anyway\n`);
        return args.yes;
      },
    });
    write(args.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatForwardText(result));
    return result.findings.length === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof ForwardPassError) {
      writeErr(`modellens: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

// No `require.main` entry here: this file is bundled into dist/cli.js with main.ts, where such a
// guard would fire too and parse `modellens summary …` as a second, failing `run`.
