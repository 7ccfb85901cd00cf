import type { FileSummary, LayerRow, ModelSummary } from '../core/summary';
import { NumberFormat, count } from './numbers';
import { truncate } from '../core/escape/plain';
import { MAX_LENS_TEXT, clonesOf, firstUnknownReason, lensText, layerLensTitle, layerLenses, modelLensTitle, modelShapeText } from './lensTitles';

/**
 * Which CodeLenses a file gets, with their titles: pure (no `vscode`), so the choices are unit
 * tested; the provider maps lines to ranges and command names to ids.
 *
 * - Above each model: its counts (opening the summary), Diagram, Run forward pass, and either
 *   `Set input shape…` (only where an input shape would resolve the unknowns) or, where the
 *   unknowns are constructor arguments with no value, a lens saying so.
 * - Above each layer line: its count and output shape, except for layers with no parameters
 *   (`modellens.parameterFreeLayerLenses` brings them back); a template that a container clones
 *   says so instead of showing a count that is not in the total.
 * - A reason that would repeat on several layer lines ("the input shape is unknown") is said once,
 *   on the model's lens.
 */

export interface LensOptions {
  numberFormat: NumberFormat;
  /** `modellens.layerLenses`: any lens above layer lines. */
  layerLenses: boolean;
  /** `modellens.parameterFreeLayerLenses`: lenses above layers that hold no parameters (ReLU, Dropout, pooling). */
  parameterFreeLayerLenses: boolean;
  /**
   * The document's front end (documents.ts `frontEnd`), for the advice that names syntax: a
   * Python model's input shape is a `# @inputShape` comment, not a JSDoc tag. Default: typescript.
   */
  language?: 'typescript' | 'python';
}

/** What `Set input shape…` writes, said in the document's own language (commands.ts writes it). */
export function setInputShapeTooltip(language: LensOptions['language']): string {
  return language === 'python'
    ? 'Write the input shape as a `# @inputShape [64, 128]` comment above the model\'s class (an @inputShape line in its docstring is updated instead)'
    : 'Write the input shape as an @inputShape JSDoc tag above this model (`/** @inputShape [64, 128] */`)';
}

export type LensCommand = 'summarize' | 'diagram' | 'forward' | 'setInputShape';

export interface PlannedLens {
  /** 1-based line the lens sits above. */
  line: number;
  /** Inert already (lensText): the user's strings in it can't make icons or break lines. */
  title: string;
  /** Raw: the provider makes it one inert line. */
  tooltip?: string;
  /** None: a statement, not a button. */
  command?: LensCommand;
  /** The model the command acts on. */
  model: string;
}

const INPUT_UNKNOWN = 'the input shape is unknown';

/** A row's reason split into its separate findings (the recorder joins them with `; `). */
function reasonParts(reason: string | undefined): string[] {
  return reason ? reason.split('; ') : [];
}

/**
 * `in_channels: inChannels has no value` → `inChannels`: a value the model is built without. The
 * Python front end says it as `in_features: the argument \`width\` of __init__() has no value`.
 */
function missingValue(part: string): string | undefined {
  const m = /^(?:[\w.]+: )?(?:([A-Za-z_$][\w$]*)|the argument `([A-Za-z_]\w*)` of __init__\(\)) has no value$/.exec(part);
  return m ? m[1] ?? m[2] : undefined;
}

function hasUnknownDim(shape: readonly (number | null)[] | null): boolean {
  return shape === null || shape.some((d) => d === null);
}

/** Model rows the summary reports on (not ops, not idle layers, which explain no unknown). */
function measuredRows(m: ModelSummary): LayerRow[] {
  return m.layers.filter((r) => !r.op && !r.notCalled);
}

/**
 * The model's constructor arguments that have no value when ModelLens builds it (`constructor(
 * inChannels: number)` analysed as `new ResBlock()`): an input shape cannot fill these.
 */
export function missingConstructorArguments(m: ModelSummary): string[] {
  const names = new Set<string>();
  for (const r of measuredRows(m)) for (const p of reasonParts(r.unknownReason)) {
    const v = missingValue(p);
    if (v !== undefined) names.add(v);
  }
  return [...names];
}

/** `in_channels: inChannels gets different values at the 2 call sites of ResBlock (…)` → `inChannels`, `ResBlock`. */
function differingValue(part: string): { name: string; callee: string } | undefined {
  const m = /^(?:[\w.]+: )?([A-Za-z_$][\w$]*) gets different values at the \d+ call sites of ([A-Za-z_$][\w$]*)/.exec(part);
  return m ? { name: m[1], callee: m[2] } : undefined;
}

/**
 * The model's constructor (or builder) arguments its call sites disagree on (`new ResBlock(16,
 * 16, 1)` here, `new ResBlock(16, 32, 2)` there): the model has no one size, and an input shape
 * cannot give it one. The callee's name comes with them.
 */
export function differingConstructorArguments(m: ModelSummary): { names: string[]; callee: string } {
  const names = new Set<string>();
  let callee = m.name;
  for (const r of measuredRows(m)) for (const p of reasonParts(r.unknownReason)) {
    const v = differingValue(p);
    if (v !== undefined && v.callee === m.name) {
      names.add(v.name);
      callee = v.callee;
    }
  }
  return { names: [...names], callee };
}

/**
 * Whether `Set input shape…` leads somewhere: a PyTorch-shaped model with no given input shape,
 * something unknown that the input decides (a shape, a `?` batch), and no unknown that an input
 * shape cannot fill (a value the model is built without: say that instead).
 */
export function inputShapeWouldHelp(m: ModelSummary, language: LensOptions['language'] = 'typescript'): boolean {
  if (m.kind !== 'torch-module') return false;
  // A Python model whose class is in another file: the tag goes there, not here (commands.ts says so).
  if (language === 'python' && !m.declaration) return false;
  if (!(m.inputShapeSource === 'none' || m.inputShapeSource.startsWith('inferred'))) return false;
  if (missingConstructorArguments(m).length > 0 || differingConstructorArguments(m).names.length > 0) return false;
  if (m.outputUnknownReason !== undefined || m.totalsUnknownReason !== undefined) return false;
  if (hasUnknownDim(m.outputShape)) return true;
  return measuredRows(m).some((r) => hasUnknownDim(r.outputShape) || reasonParts(r.unknownReason).includes(INPUT_UNKNOWN));
}

/** What a layer holds: its own parameters, or for a container everything inside it. */
function heldParams(r: LayerRow): number | null {
  return r.container ? r.totalParams : r.params;
}

function joinNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function planLenses(summary: FileSummary, opts: LensOptions): PlannedLens[] {
  const out: PlannedLens[] = [];
  // Layer lenses first (per model), so that the reasons they share can be moved to the model's lens.
  const layerLensesOf = new Map<ModelSummary, PlannedLens[]>();
  const sharedOf = new Map<ModelSummary, string[]>();
  const candidates = opts.layerLenses ? layerLenses(summary) : [];
  const byModel = new Map<ModelSummary, LayerRow[]>();
  for (const { row, model } of candidates) {
    if (!opts.parameterFreeLayerLenses && heldParams(row) === 0 && !row.cloned) continue;
    const list = byModel.get(model) ?? [];
    list.push(row);
    byModel.set(model, list);
  }
  for (const [model, rows] of byModel) {
    // A reason on two or more of this model's lenses is said once, on the model's.
    const seen = new Map<string, number>();
    for (const r of rows) if (!r.cloned) for (const p of new Set(reasonParts(r.unknownReason))) seen.set(p, (seen.get(p) ?? 0) + 1);
    const shared = [...seen].filter(([, n]) => n >= 2).map(([p]) => p);
    sharedOf.set(model, shared);
    const lenses: PlannedLens[] = [];
    for (const r of rows) {
      const tooltip = r.formula ? `${r.name}: ${r.formula}` : `${r.name} (${r.type})${r.unknownReason ? `: ${r.unknownReason}` : ''}`;
      if (r.cloned) {
        const copies = clonesOf(r, model);
        const each = heldParams(r);
        lenses.push({
          line: r.line,
          model: model.name,
          command: 'summarize',
          title: `template · cloned ×${copies.length} · not counted`,
          tooltip: `Only a template: its container registers ${copies.length} copies of it (${copies.map((c) => c.name).join(', ')}), ${count(each, opts.numberFormat)} params each, and those are counted; this object itself is not registered and counts nothing.`,
        });
        continue;
      }
      // A value with no value stays on the lines whose own count it leaves `?` (which argument of which layer).
      const own = reasonParts(r.unknownReason).filter((p) => !shared.includes(p) || (heldParams(r) === null && missingValue(p) !== undefined));
      const row = own.length === reasonParts(r.unknownReason).length ? r : { ...r, unknownReason: own.length ? own.join('; ') : undefined };
      let title = layerLensTitle(row, model, opts.numberFormat);
      // With its reason moved to the model, a `?` count still needs its `?` shown plainly.
      if (own.length === 0 && heldParams(r) === null) title = '? params';
      lenses.push({ line: r.line, model: model.name, command: 'summarize', title, tooltip });
    }
    layerLensesOf.set(model, lenses);
  }

  for (const m of summary.models) {
    const shared = sharedOf.get(m) ?? [];
    const missing = missingConstructorArguments(m);
    const differing = differingConstructorArguments(m);
    let title: string;
    if (m.totalParams === null) {
      // The reasons, each once: the missing constructor arguments and those the call sites
      // disagree on (or the first reason found), then those moved up from the layers.
      const parts: string[] = [];
      if (missing.length) parts.push(`${joinNames(missing)} ${missing.length === 1 ? 'has' : 'have'} no value`);
      if (differing.names.length) parts.push(`${joinNames(differing.names)} ${differing.names.length === 1 ? 'differs' : 'differ'} between the call sites of ${differing.callee}`);
      if (!parts.length) parts.push(...reasonParts(m.totalsUnknownReason ?? firstUnknownReason(m)));
      for (const p of shared) if (!parts.includes(p) && !(missing.length && missingValue(p)) && !(differing.names.length && differingValue(p))) parts.push(p);
      title = lensText(`? params${parts.length ? ` — ${parts.join('; ')}` : ''}${m.outputShape ? ` · ${modelShapeText(m)}` : ''}`);
    } else {
      title = modelLensTitle(m, opts.numberFormat);
      if (shared.length) title = truncate(title + lensText(` — ${shared.join('; ')}`), MAX_LENS_TEXT);
    }
    const args = { line: m.line, model: m.name };
    out.push(
      { ...args, title, command: 'summarize', tooltip: `Open the summary of ${m.name}` },
      { ...args, title: 'Diagram', command: 'diagram' },
      { ...args, title: 'Run forward pass', command: 'forward' },
    );
    if (missing.length) {
      out.push({
        ...args,
        title: lensText(`constructor argument${missing.length === 1 ? '' : 's'} ${joinNames(missing)}: no default`),
        tooltip: `${m.name} is read as \`${opts.language === 'python' ? '' : 'new '}${m.name}()\`: ${joinNames(missing)} ${missing.length === 1 ? 'has' : 'have'} no default, so what ${missing.length === 1 ? 'it sizes' : 'they size'} is unknown. Give ${missing.length === 1 ? 'it a default' : 'them defaults'}; an input shape would not help.`,
      });
    }
    if (differing.names.length) {
      const reason = measuredRows(m).flatMap((r) => reasonParts(r.unknownReason)).find((p) => differingValue(p));
      out.push({
        ...args,
        title: lensText(`${m.kind === 'torch-module' ? 'constructor ' : ''}argument${differing.names.length === 1 ? '' : 's'} ${joinNames(differing.names)}: different at each call site`),
        tooltip: `${reason ?? ''}. ${m.name} has no one size: each call site builds its own. Summarize it where it is used.`,
      });
    } else if (!missing.length && inputShapeWouldHelp(m, opts.language)) {
      out.push({ ...args, title: 'Set input shape…', command: 'setInputShape', tooltip: setInputShapeTooltip(opts.language) });
    }
  }
  for (const lenses of layerLensesOf.values()) out.push(...lenses);
  return out;
}
