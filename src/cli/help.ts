/**
 * The CLI's help texts: `modellens --help`, `modellens help <command>` and `<command> --help`.
 * Each command's text is the one place its options are listed; a usage error prints the
 * command's first line (its synopsis) and points here.
 */

export const GENERAL_HELP = `modellens: parameter counts, output shapes and summaries of neural networks written in
TypeScript or JavaScript (TensorFlow.js Layers API, PyTorch-shaped nn.Module classes) and in
Python (PyTorch nn.Module code), read statically: nothing in your files is run.

Usage:
  modellens <command> [options]

Commands:
  summary   Print a summary table of each model in a file or folder. Static: reads the
            source without running it (under a second for a typical file).
  run       Build one model in TensorFlow.js, run a seeded forward pass on random inputs in a
            worker, and check its shapes and counts against the static analysis.
  help      Show the help of a command: modellens help summary

Options:
  -h, --help   Show this help (after a command: that command's help)

Examples:
  modellens summary examples/simple-mlp.ts
  modellens summary examples/python/simple_mlp.py
  modellens summary src/models --format markdown
  modellens run examples/cnn.ts
`;

export const SUMMARY_HELP = `Usage: modellens summary <file|folder> [--model NAME] [--input-shape SHAPE] [--format FORMAT]
                         [--root DIR] [--max-file-size KB]

Reads the models in a .ts/.js/.py file, or in every such file under a folder, statically
(your code is never run) and prints one table per model on stdout. Findings (unknown layers, shape
mismatches) go to stderr, each distinct message once with its count.

Options:
  --model NAME          Only the model named NAME (its class or builder function).
  --input-shape SHAPE   The input shape, batch first: 64,128 for one input; "[8,50] [8,50]"
                        for several; ? or None for a size left unknown.
                        Overrides the input shape the source gives (a @inputShape tag;
                        in Python also a summary() call or an example input).
  --format FORMAT       seed       pytorch-summary's table (default)
                        torchinfo  torchinfo's table: tree, input shapes, mult-adds, memory
                        keras      Keras's model.summary()
                        markdown   a Markdown table, for a README or a pull request
                        json       every number, shape and reason, with source lines
  --root DIR            Read imported files only inside DIR (default: the nearest folder
                        above the file with a package.json, tsconfig.json or .git).
  --max-file-size KB    Read no file larger than this, imports included (default 1024).
  -h, --help            Show this help.

Examples:
  modellens summary examples/simple-mlp.ts
  modellens summary examples/transformer.ts --model TinyTransformer --format torchinfo
  modellens summary examples/python/cnn.py --format torchinfo
  modellens summary model.ts --input-shape 32,3,224,224
  modellens summary src/models --format json > summary.json

Exit status: 0 when the file was read (even with findings), 2 on a usage error, a missing
file or an unknown --model.
`;

export const RUN_HELP = `Usage: modellens run <file> [--model NAME] [--input-shape SHAPE] [--format text|json]
                     [--backend wasm|cpu] [--seed N] [--batch N] [--timeout MS] [--yes]

Builds the model the static analysis read in TensorFlow.js (random weights, seeded), runs one
forward pass on random inputs in a worker thread, and compares every layer's output shape and
parameter count with the analysis. Your own code is still not run: the model is rebuilt from
what the analysis read.

Options:
  --model NAME          The model to run when the file defines several.
  --input-shape SHAPE   The input shape, batch first: 64,128, or "[8,50] [8,50]" for several.
  --format FORMAT       text (default) or json.
  --backend BACKEND     wasm (default; falls back to cpu when it can't) or cpu.
  --seed N              Seed of the random weights and inputs (default 0).
  --batch N             Batch size where the input's batch size is unknown (default 8).
  --timeout MS          Stop the pass after MS milliseconds (default 60000).
  --yes                 Run a model estimated to need more than 1 GiB without asking.
  -h, --help            Show this help.

Examples:
  modellens run examples/cnn.ts
  modellens run examples/transformer.ts --model TinyTransformer --format json
  modellens run examples/simple-mlp.tfjs.ts --input-shape 8,128 --backend cpu

Exit status: 0 when the pass agrees with the analysis, 1 on findings or when the model can't
be run, 2 on a usage error.
`;

export const COMMAND_HELP: Record<string, string> = { summary: SUMMARY_HELP, run: RUN_HELP };

/** The synopsis printed under a usage error: the command's usage line(s). */
export function synopsis(command: 'summary' | 'run'): string {
  const help = COMMAND_HELP[command];
  return help.slice(0, help.indexOf('\n\n')) + `\n(modellens ${command} --help for the options)`;
}

export function wantsHelp(args: readonly string[]): boolean {
  return args.some((a) => a === '-h' || a === '--help');
}
