import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_MAX_FILE_BYTES, analyzeSource, tooLarge } from '../core/analyze';
import { findProjectRoot, readRegularFile } from '../core/fileAccess';
import { SUMMARY_FORMATS, SummaryFormat, formatFileJson, formatSummary } from '../core/format';
import { UsageError, parseInputShapeFlag } from './flags';
import type { FileSummary, ModelSummary } from '../core/summary';
import { runMain } from './run';
import { plainLines } from '../core/escape/plain';
import { COMMAND_HELP, GENERAL_HELP, synopsis, wantsHelp } from './help';


interface SummaryArgs {
  target: string;
  model?: string;
  inputShapes?: (number | null)[][];
  format: SummaryFormat;
  /** Imports are read only inside this folder (default: the nearest project root). */
  root?: string;
  maxFileBytes: number;
}

function parseArgs(argv: string[]): SummaryArgs {
  const [command, ...rest] = argv;
  if (command !== 'summary') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  const out: Partial<SummaryArgs> = { format: 'seed', maxFileBytes: DEFAULT_MAX_FILE_BYTES };
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
      if (!SUMMARY_FORMATS.includes(f as SummaryFormat)) throw new UsageError(`unknown format "${f}"`);
      out.format = f as SummaryFormat;
    } else if (a === '--input-shape') {
      out.inputShapes = parseInputShapeFlag(value());
    } else if (a === '--root') out.root = value();
    else if (a === '--max-file-size') {
      const v = value();
      const kb = Number(v);
      if (!Number.isInteger(kb) || kb < 1) throw new UsageError(`--max-file-size needs a whole number of KB ≥ 1, not "${v}"`);
      out.maxFileBytes = kb * 1024;
    } else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
    else if (out.target === undefined) out.target = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (!out.target) throw new UsageError('missing <file>');
  return out as SummaryArgs;
}

const SOURCE = /\.(ts|tsx|js|mjs|cjs|py)$/;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** How many further line numbers a repeated diagnostic lists before it says "…". */
const LINES_LISTED = 8;

/**
 * One line per distinct message: the same warning on twelve layers (`Unknown layer
 * \`nn.Lineer\``) is printed once, at its first line, with the count and the other lines.
 */
export function describeDiagnostics(file: string, ds: { line: number; severity: string; message: string }[]): string {
  const where = path.relative(process.cwd(), file) || file;
  const groups = new Map<string, { severity: string; message: string; lines: number[] }>();
  for (const d of ds) {
    const key = `${d.severity}\0${d.message}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { severity: d.severity, message: d.message, lines: [d.line] });
    else if (!g.lines.includes(d.line)) g.lines.push(d.line);
  }
  let out = '';
  for (const g of groups.values()) {
    let also = '';
    if (g.lines.length > 1) {
      const more = g.lines.slice(1, 1 + LINES_LISTED).join(', ');
      also = ` (×${g.lines.length}; also line${g.lines.length > 2 ? 's' : ''} ${more}${g.lines.length > 1 + LINES_LISTED ? ', …' : ''})`;
    }
    out += `${where}:${g.lines[0]}: ${g.severity}: ${g.message}${also}\n`;
  }
  return out;
}

/**
 * Everything the CLI prints quotes the user's code (names, config strings, messages): control
 * characters (ANSI escapes) and bidi overrides are written as `\uNNNN` escapes, never sent to the
 * terminal (escape/plain.ts; JSON keeps its meaning, as JSON writes them the same way).
 */
const inert = (write: (s: string) => void) => (s: string) => write(plainLines(s));

/**
 * `modellens --help` / `help [command]` (exit 0), `modellens run …` (a real forward pass, async)
 * or `modellens summary …` (static, sync).
 */
export function cli(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s), writeErr: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  write = inert(write);
  writeErr = inert(writeErr);
  const [command, topic] = argv;
  if (command === undefined) {
    writeErr(GENERAL_HELP);
    return Promise.resolve(2);
  }
  // `help -h` is help's own help: the general one, which says how help is used.
  if (command === '-h' || command === '--help' || (command === 'help' && (topic === undefined || topic === '-h' || topic === '--help'))) {
    write(GENERAL_HELP);
    return Promise.resolve(0);
  }
  if (command === 'help') {
    const help = COMMAND_HELP[topic];
    if (help === undefined) {
      writeErr(`modellens: no command "${topic}" (commands: ${Object.keys(COMMAND_HELP).join(', ')})\n`);
      return Promise.resolve(2);
    }
    write(help);
    return Promise.resolve(0);
  }
  if (command === 'run') return runMain(argv, write, writeErr);
  return Promise.resolve(main(argv, write, writeErr));
}

export function main(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s), writeErr: (s: string) => void = (s) => process.stderr.write(s)): number {
  write = inert(write);
  writeErr = inert(writeErr);
  if (argv[0] === 'summary' && wantsHelp(argv)) {
    write(COMMAND_HELP.summary);
    return 0;
  }
  let args: SummaryArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      writeErr(`modellens: ${e.message}\n${argv[0] === 'summary' ? synopsis('summary') : 'commands: summary, run (modellens --help for more)'}\n`);
      return 2;
    }
    throw e;
  }
  const target = path.resolve(args.target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    writeErr(`modellens: no such file: ${args.target}\n`);
    return 2;
  }
  const files = stat.isDirectory() ? listFiles(target) : [target];
  const root = args.root !== undefined ? path.resolve(args.root) : findProjectRoot(stat.isDirectory() ? path.join(target, 'x') : target);
  const analyze = (f: string, inputShapes = args.inputShapes): FileSummary => {
    // Only regular files under the size limit are opened (a FIFO named model.ts must not hang the CLI).
    const r = readRegularFile(f, args.maxFileBytes);
    if ('size' in r) return tooLarge(f, r.size, args.maxFileBytes);
    if ('refused' in r) return { file: f, models: [], diagnostics: [{ line: 1, severity: 'error', message: `ModelLens did not read this file: ${r.refused}`, code: 'file-access' }] };
    return analyzeSource(f, r.text, { inputShapes, roots: [root], maxFileBytes: args.maxFileBytes });
  };
  const results: FileSummary[] = files.map((f) => {
    const r = analyze(f);
    return args.model ? { ...r, models: r.models.filter((m) => m.name === args.model) } : r;
  });
  if (args.model && results.every((r) => r.models.length === 0)) {
    const names = files.flatMap((f) => analyze(f, undefined).models.map((m) => m.name));
    writeErr(`modellens: no model named "${args.model}"${names.length ? ` (found: ${names.join(', ')})` : ''}\n`);
    return 2;
  }
  if (args.format === 'json') {
    write(stat.isDirectory() ? JSON.stringify({ root: target, files: results.map((r) => JSON.parse(formatFileJson(r))) }, null, 2) + '\n' : formatFileJson(results[0]));
    return 0;
  }
  const all: { file: string; model: ModelSummary }[] = results.flatMap((r) => r.models.map((model) => ({ file: r.file, model })));
  const many = all.length > 1 || stat.isDirectory();
  all.forEach(({ file, model }, i) => {
    if (many) write(`${i ? '\n' : ''}${model.name} (${path.relative(process.cwd(), file) || file}:${model.line})\n`);
    write(formatSummary(model, args.format));
  });
  for (const r of results) {
    const ds = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
    if (ds.length) writeErr(describeDiagnostics(r.file, ds));
  }
  if (all.length === 0) writeErr(`modellens: no models found in ${args.target}\n`);
  return 0;
}

/**
 * A reader that stops early (`modellens summary models/ --format json | head`) closes the pipe:
 * stop quietly with status 0, as a Unix tool stops there, instead of an unhandled EPIPE trace.
 * For the process entries only (bin/modellens.js, this file run directly).
 */
export function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

if (require.main === module) {
  endQuietlyOnClosedPipe();
  void cli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
