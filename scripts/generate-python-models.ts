/**
 * Large Python files of PyTorch models for the benchmark (scripts/bench.ts, section (e)): seeded,
 * so every run measures the same text. Models as real code writes them — MLPs, CNNs with
 * `nn.Sequential`, residual blocks with a shortcut, stacks built in loops, LSTM text models, a
 * `@dataclass` config — with ordinary code between them (helpers, constants, docstrings, comments),
 * since model files are not only models.
 */
import { makeRng } from './generate-models';

const HEADER = ['"""Generated PyTorch models (ModelLens benchmark)."""', 'import math', 'from dataclasses import dataclass', '', 'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', ''];

type Gen = { int: (lo: number, hi: number) => number; pick: <T>(xs: readonly T[]) => T };

const MODELS: ((g: Gen, k: number, c?: number) => string[])[] = [
  (g, k) => {
    const w = g.pick([64, 128, 256]);
    return [
      `class MLP${k}(nn.Module):`,
      `    def __init__(self, in_features=${g.int(8, 512)}, hidden=${w}, out_features=${g.int(1, 20)}):`,
      '        super().__init__()',
      '        self.fc1 = nn.Linear(in_features, hidden)',
      '        self.fc2 = nn.Linear(hidden, hidden // 2)',
      '        self.fc3 = nn.Linear(hidden // 2, out_features)',
      `        self.drop = nn.Dropout(${g.pick(['0.1', '0.2', '0.5'])})`,
      '',
      '    def forward(self, x):',
      '        x = F.relu(self.fc1(x))',
      '        x = self.drop(F.relu(self.fc2(x)))',
      '        return self.fc3(x)',
    ];
  },
  (g, k) => {
    const c = g.pick([8, 16, 32]);
    return [
      `# @inputShape [${g.int(1, 16)}, 3, 32, 32]`,
      `class CNN${k}(nn.Module):`,
      `    def __init__(self, num_classes=${g.int(2, 100)}):`,
      '        super().__init__()',
      '        self.features = nn.Sequential(',
      `            nn.Conv2d(3, ${c}, kernel_size=3, padding=1),`,
      `            nn.BatchNorm2d(${c}),`,
      '            nn.ReLU(inplace=True),',
      '            nn.MaxPool2d(2),',
      `            nn.Conv2d(${c}, ${c * 2}, kernel_size=3, padding=1),`,
      '            nn.ReLU(inplace=True),',
      '            nn.AdaptiveAvgPool2d((1, 1)),',
      '        )',
      `        self.classifier = nn.Linear(${c * 2}, num_classes)`,
      '',
      '    def forward(self, x):',
      '        x = self.features(x)',
      '        x = torch.flatten(x, 1)',
      '        return self.classifier(x)',
    ];
  },
  (g, k, c = g.pick([16, 32, 64])) => [
    `class Residual${k}(nn.Module):`,
    `    def __init__(self, channels=${c}, depth=${g.int(2, 4)}):`,
    '        super().__init__()',
    '        self.blocks = nn.ModuleList()',
    '        for i in range(depth):',
    '            self.blocks.append(nn.Conv2d(channels, channels, 3, padding=1))',
    '        self.norm = nn.BatchNorm2d(channels)',
    '',
    '    def forward(self, x):',
    '        for block in self.blocks:',
    '            x = x + F.relu(block(x))',
    '        return self.norm(x)',
    '',
    `model${k} = Residual${k}()`,
    `model${k}(torch.randn(2, ${c}, 16, 16))`,
  ],
  (g, k) => [
    '@dataclass',
    `class TextConfig${k}:`,
    `    vocab: int = ${g.int(1000, 30000)}`,
    `    embed: int = ${g.pick([64, 128, 256])}`,
    `    hidden: int = ${g.pick([64, 128])}`,
    `    classes: int = ${g.int(2, 10)}`,
    '',
    '',
    `class TextLSTM${k}(nn.Module):`,
    `    def __init__(self, cfg=TextConfig${k}()):`,
    '        super().__init__()',
    '        self.embedding = nn.Embedding(cfg.vocab, cfg.embed)',
    '        self.lstm = nn.LSTM(cfg.embed, cfg.hidden, batch_first=True)',
    '        self.head = nn.Linear(cfg.hidden, cfg.classes)',
    '',
    '    def forward(self, tokens):',
    '        x = self.embedding(tokens)',
    '        out, _ = self.lstm(x)',
    '        return self.head(out[:, -1])',
    '',
    `summary(TextLSTM${k}(), input_size=(${g.int(1, 32)}, ${g.int(8, 64)}))`,
  ],
];

const PADDING: ((g: Gen, k: number) => string[])[] = [
  (g, k) => [`def scale_${k}(x, factor=${g.int(2, 9)}):`, `    """Scales x by factor (helper ${k})."""`, '    return x * factor', ''],
  (g, k) => [`LEARNING_RATE_${k} = ${g.int(1, 9)}e-${g.int(2, 5)}`, `WARMUP_STEPS_${k} = math.ceil(${g.int(100, 5000)} / ${g.int(2, 8)})`, ''],
  (_g, k) => [`def schedule_${k}(step, total):`, '    if step < total // 10:', '        return step / max(1, total // 10)', '    return 0.5 * (1 + math.cos(math.pi * step / total))', ''],
  (_g, k) => [`# Section ${k}: training notes.`, '# The learning rate decays with a cosine schedule after warm-up;', '# checkpoints are written every epoch.', ''],
];

/** A Python file of about `lines` lines holding `models` models, the same for the same seed. */
export function generatePythonFile(opts: { lines: number; models: number; seed: number }): string {
  const rng = makeRng(opts.seed);
  const g: Gen = { int: (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1)), pick: (xs) => xs[Math.floor(rng() * xs.length)] };
  const out = [...HEADER];
  const perModel = (opts.lines - HEADER.length) / opts.models;
  let p = 0;
  for (let k = 0; k < opts.models; k++) {
    out.push('', ...g.pick(MODELS)(g, k), '', '');
    while (out.length < HEADER.length + perModel * (k + 1)) out.push(...g.pick(PADDING)(g, p++));
  }
  return out.slice(0, Math.max(out.length, opts.lines)).join('\n') + '\n';
}
