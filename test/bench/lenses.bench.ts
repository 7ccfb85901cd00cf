// Speed of the extension as a user meets it, measured inside a real VS Code extension host
// (scripts/bench-host.mjs starts it): opening a model file in the fresh window → its first lens
// (activation included), the diagram's tab shown again → the graph painted, then the time from a
// document change to refreshed CodeLenses in a generated 5,000-line file. Figures only: nothing
// here asserts on time. A step that cannot be measured throws, so the run fails loudly instead
// of reporting a number that means something else.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { generateFile } from '../../scripts/generate-models';
import { generatePythonFile } from '../../scripts/generate-python-models';
import type { StartupTimes } from '../../src/extension/startupTimes';

export const EXTENSION_ID = 'modellens.modellens';

export interface BenchOptions {
  /** 'activation' stops after (a), opening a file → its first lens: extra fresh windows for more samples of it. */
  mode: 'full' | 'activation';
  /** The model file (a) opens: scripts/bench-host.mjs put it in the workspace before the window started, as a user's workspace has its models. */
  openedModel: string;
  /** Timed edits (after WARMUP_EDITS untimed ones). */
  edits: number;
  lines: number;
  models: number;
  seed: number;
}

export interface EditFigures {
  /** The generated file's language: TypeScript (scripts/generate-models.ts) or Python (generate-python-models.ts). */
  language: 'typescript' | 'python';
  file: string;
  warmupEdits: number;
  /** Quiet time between edits, and the interval between provider calls while waiting, ms. */
  settleMs: number;
  pollMs: number;
  /** Lines generated; `lineCount` is VS Code's count (one more: the text ends with a newline). */
  lines: number;
  lineCount: number;
  models: number;
  /** CodeLenses ModelLens returns for the file. */
  lensCount: number;
  /** Open the file → first lenses (lazy load of the analyzer and TypeScript, cold analysis), ms. */
  openToFirstLensesMs: number;
  /** 1-based line of the edited literal, what it looked like, and the two values it alternates between. */
  editLine: number;
  editLineText: string;
  values: [string, string];
  /** Per timed edit: `onDidChangeTextDocument` → `vscode.executeCodeLensProvider` returned the new lenses, ms. */
  fromChangeMs: number[];
  /** Per timed edit: `workspace.applyEdit` called → new lenses (adds the edit's round trip through the workbench), ms. */
  fromApplyMs: number[];
  /** Per timed edit: executeCodeLensProvider calls until the lenses matched. */
  polls: number[];
  /**
   * Where each timed edit's time went, ms from onDidChangeTextDocument: the analysis sent to the
   * worker (the debounce ends), its result announced (onDidAnalyze); the rest of `fromChangeMs` is
   * the lenses' way from the provider to the caller.
   */
  startedMs: number[];
  analyzedMs: number[];
  /**
   * For the lens a user sees: each timed edit's onDidChangeTextDocument, ms since the epoch, and a
   * lens title near the edited line that only the lenses of `values[0]` (then `values[1]`) have.
   * scripts/bench-host.mjs finds the first frame the page painted with that title after the
   * change (the edited line is revealed in the middle of the editor, so its lenses are on screen).
   */
  changedEpochMs: number[];
  paintMarkers: [string, string];
}

/** (a) A model file of the workspace opened in the fresh window, until its first lens. */
export interface OpenFigures {
  /** `openTextDocument` + `showTextDocument` → ModelLens lenses returned for it, ms (activation, lazy loads and the analysis included). */
  ms: number;
  file: string;
  lenses: number;
  /** Where the time went: the document opened, shown in an editor, ModelLens active (from the same start), ms. */
  openedMs: number;
  shownMs: number;
  activeMs: number;
  /** ModelLens announced the file's first analysis (its onDidAnalyze), ms; the rest of `ms` is the lens's way to the editor. */
  analyzedMs: number;
  /**
   * ModelLens's own steps, ms from the same start (its exported StartupTimes): activate() called
   * (`activeMs` is when the bench saw `isActive`, which waits for whatever else runs on the
   * extension host's thread first: the TypeScript features activate on the same event), the
   * analysis worker created, its script begun and TypeScript and the analyzer loaded, the document
   * sent to it, the result back.
   */
  own: Partial<Record<keyof StartupTimes, number>>;
  /**
   * The start, ms since the epoch (`performance.timeOrigin + now`): scripts/bench-host.mjs
   * subtracts it from the moment the page painted the editor's first ModelLens lens (the lens
   * a user sees; `ms` is the lenses coming back to this extension host through the API).
   */
  startEpochMs: number;
}

/** (c) The diagram's tab hidden behind another editor, then shown again. */
export interface DiagramReturnFigures {
  file: string;
  model: string;
  /** Nodes on screen (the diagram as it opens: folded runs collapsed). */
  nodes: number;
  /** Per round: the tab brought back (`WebviewPanel.reveal`) → the webview reports a frame with the graph on screen, ms. */
  ms: number[];
}

export interface BenchFigures {
  open: OpenFigures;
  diagram?: DiagramReturnFigures;
  /** (b), one per language: TypeScript, then Python. */
  edits?: EditFigures[];
}

/** How often to ask again when a provider call returned lenses that do not reflect the edit yet. */
const POLL_MS = 5;
/** Quiet time between timed edits, so one edit's late work (diagnostics, the editor's own lens refresh) does not fall into the next. */
const SETTLE_MS = 300;
/**
 * Quiet time after each edit's lenses came back through the API, so the editor paints them
 * before the next edit: its own refresh waits out two debounces of its own (the CodeLens request,
 * then the "resolve" that updates the lenses on screen; 375 ms each in a development-host window
 * such as the bench's, learned and at least 250 ms each in a user's), and every edit restarts both.
 */
const PAINT_SETTLE_MS = 1500;
const EDIT_TIMEOUT_MS = 20_000;
/** Untimed edits before the timed ones (even: the text is back at its original value). */
export const WARMUP_EDITS = 4;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') throw new Error('the bench needs a local folder open (scripts/bench-host.mjs opens a temp one)');
  return folder.uri.fsPath;
}

/** Copies files of the extension's own tree into the workspace; returns the copies' paths. */
function copyIn(...rel: string[]): string[] {
  const from = extension().extensionPath;
  return rel.map((r) => {
    const to = path.join(workspaceDir(), path.basename(r));
    fs.copyFileSync(path.join(from, r), to);
    return to;
  });
}

/**
 * (a) The first thing a bench run does, as a user's first minute: open a model file of the
 * workspace (resnet.ts, which imports res-block.ts, or resnet.py) in this freshly started window
 * and wait for its first ModelLens lens. ModelLens must not be active yet (nothing opened a
 * model file before), so its activation, its lazy loads and the first analysis are all inside the
 * figure.
 */
export async function measureOpenToFirstLens(model: string): Promise<OpenFigures> {
  const file = path.join(workspaceDir(), model);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: scripts/bench-host.mjs copies it into the workspace before the window starts`);
  if (extension().isActive) throw new Error(`${EXTENSION_ID} was already active: opening a file would not include its start-up`);
  const ext = extension();
  let activeMs = -1;
  let analyzedMs = -1;
  let sub: vscode.Disposable | undefined;
  /** Asks for the lenses at once (set when the document is open). */
  let askNow: (() => void) | undefined;
  const t0 = performance.now();
  const watch = setInterval(() => {
    if (activeMs < 0 && ext.isActive) {
      activeMs = performance.now() - t0;
      const analyses = (ext.exports as { analyses?: { onDidAnalyze: vscode.Event<{ document: vscode.TextDocument }> } } | undefined)?.analyses;
      sub = analyses?.onDidAnalyze((a) => {
        if (a.document.uri.fsPath !== file) return;
        if (analyzedMs < 0) analyzedMs = performance.now() - t0;
        askNow?.();
      });
    }
  }, 2);
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const openedMs = performance.now() - t0;
    await vscode.window.showTextDocument(doc);
    const shownMs = performance.now() - t0;
    const first = await firstLenses(doc.uri, (ask) => (askNow = ask));
    const ms = performance.now() - t0;
    // Same clock: the bench runs in ModelLens's extension host. (None from a build before they were exported: an A/B run against it.)
    const startup = (ext.exports as { analyses?: { startup?: StartupTimes } } | undefined)?.analyses?.startup ?? {};
    const own = Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, v === undefined ? undefined : v - t0]));
    return { ms, file: path.basename(file), lenses: first.count, openedMs, shownMs, activeMs, analyzedMs, own, startEpochMs: performance.timeOrigin + t0 };
  } finally {
    clearInterval(watch);
    sub?.dispose();
  }
}

/**
 * The document's first ModelLens lenses: asked for every POLL_MS, and also at once when ModelLens
 * announces the document's analysis (as an editor asks again when a provider says its lenses
 * changed), alongside a call still in flight. In a fresh window a call made before ModelLens's
 * provider reached the workbench can take a second to come back empty (the workbench first
 * waits on the busy extension host), and the lenses would otherwise wait for it.
 */
function firstLenses(uri: vscode.Uri, onAsk: (ask: () => void) => void): Promise<{ count: number }> {
  return new Promise((resolve, reject) => {
    let done = false;
    const deadline = Date.now() + EDIT_TIMEOUT_MS;
    const ask = async (): Promise<void> => {
      try {
        const s = await lensSignature(uri);
        if (!done && s.count > 0) {
          done = true;
          resolve(s);
        }
      } catch (e) {
        done = true;
        reject(e);
      }
    };
    onAsk(() => void ask());
    void (async () => {
      while (!done) {
        await ask();
        if (done) return;
        if (Date.now() > deadline) {
          done = true;
          reject(new Error(`no ModelLens lens within ${EDIT_TIMEOUT_MS} ms of opening the file`));
          return;
        }
        await sleep(POLL_MS);
      }
    })();
  });
}

/** The analysis service's run events, as the extension exports them. */
function analysisEvents(): {
  onDidStartAnalysis: vscode.Event<vscode.TextDocument>;
  onDidAnalyze: vscode.Event<{ document: vscode.TextDocument }>;
} {
  const analyses = (extension().exports as { analyses?: ReturnType<typeof analysisEvents> } | undefined)?.analyses;
  if (!analyses) throw new Error('the extension exports no analysis events');
  return analyses;
}

interface DiagramHooks {
  rendered(uri: vscode.Uri, model: string): unknown;
  isVisible(uri: vscode.Uri, model: string): boolean;
  reveal(uri: vscode.Uri, model: string): void;
  painted(uri: vscode.Uri, model: string): { at: number; nodes: number } | undefined;
}

async function until<T>(what: string, get: () => T | undefined | false, timeoutMs = EDIT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

/**
 * (c) The diagram of a ResNet-50 (test/fixtures/models/resnet50.ts) open beside its code; another
 * file is opened in the diagram's group (its tab goes to the background), then the diagram's tab is
 * brought back, `rounds` times. Timed from `reveal` until the webview says a frame with the graph
 * is on screen (its answer to the panel becoming visible, or a full render when the page had to
 * be rebuilt).
 */
export async function measureDiagramReturn(rounds: number): Promise<DiagramReturnFigures> {
  const hooks = (extension().exports as { diagramTesting?: DiagramHooks }).diagramTesting;
  if (!hooks) throw new Error('the extension exports no diagramTesting hooks');
  const [file, other] = copyIn('test/fixtures/models/resnet50.ts', 'examples/cnn.ts');
  const model = 'ResNet50';
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  await waitForLenses(doc.uri, { differentFrom: '' });
  await vscode.commands.executeCommand('modellens.showDiagram', doc.uri, model);
  const first = await until('the diagram to be drawn', () => hooks.painted(doc.uri, model), 60_000);
  const column = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modellens.diagram')))?.viewColumn;
  if (column === undefined) throw new Error('no editor group shows the diagram');
  const otherDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(other));
  const ms: number[] = [];
  for (let i = 0; i < rounds + 1; i++) {
    await vscode.window.showTextDocument(otherDoc, { viewColumn: column, preserveFocus: true });
    await until('the diagram tab to go to the background', () => !hooks.isVisible(doc.uri, model));
    await sleep(SETTLE_MS);
    const t0 = performance.now();
    hooks.reveal(doc.uri, model);
    const p = await until('the diagram to be painted again', () => {
      const got = hooks.painted(doc.uri, model);
      return got && got.at > t0 ? got : undefined;
    });
    if (p.nodes !== first.nodes) throw new Error(`shown again with ${p.nodes} nodes, ${first.nodes} before`);
    // The first round is a warm-up (first switch of this editor group).
    if (i > 0) ms.push(p.at - t0);
    await sleep(SETTLE_MS);
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  return { file: path.basename(file), model, nodes: first.nodes, ms };
}

/** Every ModelLens lens of the document as `line:title` lines: equal strings mean equal lenses. */
async function lensSignature(uri: vscode.Uri): Promise<{ sig: string; count: number; byLine: Map<number, string[]> }> {
  const got = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  const rows: string[] = [];
  const byLine = new Map<number, string[]>();
  for (const l of got) {
    if (!l.command?.command.startsWith('modellens.')) continue;
    const line = l.range.start.line + 1;
    rows.push(`${line}:${l.command.title}`);
    byLine.set(line, [...(byLine.get(line) ?? []), l.command.title]);
  }
  rows.sort();
  return { sig: rows.join('\n'), count: rows.length, byLine };
}

/** Asks for the lenses until they equal `expected` (or, with `differentFrom`, until they differ from it). */
async function waitForLenses(uri: vscode.Uri, want: { equal?: string; differentFrom?: string }): Promise<{ sig: string; polls: number; byLine: Map<number, string[]>; count: number }> {
  const deadline = Date.now() + EDIT_TIMEOUT_MS;
  for (let polls = 1; ; polls++) {
    const s = await lensSignature(uri);
    const ok = want.equal !== undefined ? s.sig === want.equal : s.count > 0 && s.sig !== want.differentFrom;
    if (ok) return { ...s, polls };
    if (Date.now() > deadline) throw new Error(`lenses did not reflect the edit within ${EDIT_TIMEOUT_MS} ms (${s.count} lenses)`);
    await sleep(POLL_MS);
  }
}

/**
 * The literal to edit: nearest the middle of the file, one that only changes a parameter count
 * (an embedding's vocabulary size, an MLP's input width), so each edit changes lens titles
 * without breaking the shapes that follow.
 */
function pickLiteral(lines: string[], language: EditFigures['language']): { line: number; re: RegExp } {
  const candidates = language === 'python'
    ? [/(def __init__\(self, in_features=)(\d+)/]
    : [/(new nn\.Embedding\()(\d+)/, /(tf\.layers\.embedding\(\{ inputDim: )(\d+)/];
  for (const re of candidates) {
    const mid = lines.length >> 1;
    for (let d = 0; d < lines.length; d++) {
      for (const k of [mid + d, mid - d]) if (k >= 0 && k < lines.length && re.test(lines[k])) return { line: k, re };
    }
  }
  throw new Error(`the generated ${language} file has no layer size the bench could edit`);
}

/** Replaces the literal on `line` (0-based) with `value`; resolves when the workbench applied it. */
async function setLiteral(doc: vscode.TextDocument, line: number, re: RegExp, value: string): Promise<void> {
  const text = doc.lineAt(line).text;
  const m = re.exec(text);
  if (!m) throw new Error(`line ${line + 1} no longer holds the literal: ${text}`);
  const start = m.index + m[1].length;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(line, start, line, start + m[2].length), value);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`workspace.applyEdit refused the edit on line ${line + 1}`);
}

/**
 * A lens title within a few lines of the edited line (0-based `line`) in `mine` that no title of
 * `other` contains: once the page paints it, the editor shows the lenses of `mine`'s text.
 */
function paintMarker(mine: Map<number, string[]>, other: Map<number, string[]>, line: number): string {
  const others = [...other.values()].flat();
  for (let d = 0; d <= 6; d++) {
    for (const l of [line + 1 + d, line + 1 - d]) {
      const title = mine.get(l)?.find((t) => !others.some((o) => o.includes(t)));
      if (title) return title;
    }
  }
  throw new Error(`no lens near line ${line + 1} tells the edit's two texts apart on screen`);
}

/** Scrolls `line` (0-based) to the middle of the editor; resolves once the editor shows it. */
async function revealLine(editor: vscode.TextEditor, line: number): Promise<void> {
  const shows = () => editor.visibleRanges.some((r) => r.start.line <= line && line <= r.end.line);
  const shown = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the editor never showed line ${line + 1} (visible: ${editor.visibleRanges.map((r) => `${r.start.line + 1}-${r.end.line + 1}`).join(', ')})`));
    }, EDIT_TIMEOUT_MS);
    const sub = vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      if (e.textEditor === editor && shows()) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
  editor.selection = new vscode.Selection(line, 0, line, 0);
  editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
  if (!shows()) await shown;
}

/** (b) Document change → refreshed lenses, repeated edits in a generated file of `language`. */
export async function measureEdits(opts: BenchOptions, language: EditFigures['language']): Promise<EditFigures> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') throw new Error('the bench needs a local folder open (scripts/bench-host.mjs opens a temp one)');
  const gen = { lines: opts.lines, models: opts.models, seed: opts.seed };
  const text = language === 'python' ? generatePythonFile(gen) : generateFile(gen);
  const file = path.join(folder.uri.fsPath, `bench-${opts.lines}.${language === 'python' ? 'py' : 'ts'}`);
  fs.writeFileSync(file, text);
  const lines = text.split('\n');
  const { line, re } = pickLiteral(lines, language);
  const original = re.exec(lines[line])![2];
  const values: [string, string] = [String(Number(original) + 1), original];

  const t0 = performance.now();
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(doc);
  const first = await waitForLenses(doc.uri, { differentFrom: '' });
  await revealLine(editor, line);
  const openToFirstLensesMs = performance.now() - t0;

  let changedAt = -1;
  let startedAt = -1;
  let analyzedAt = -1;
  const same = (d: vscode.TextDocument) => d.uri.toString() === doc.uri.toString();
  const sub = vscode.workspace.onDidChangeTextDocument((e) => {
    if (same(e.document) && e.contentChanges.length > 0) changedAt = performance.now();
  });
  const analyses = analysisEvents();
  const subStart = analyses.onDidStartAnalysis((d) => {
    if (same(d)) startedAt = performance.now();
  });
  const subDone = analyses.onDidAnalyze((a) => {
    if (same(a.document)) analyzedAt = performance.now();
  });
  try {
    // Warm-up (untimed): learn the lenses of both values, check that the edit shows in them,
    // then a few more round trips, so the timed edits do not start on cold code paths.
    const sigs = new Map<string, string>([[original, first.sig]]);
    await setLiteral(doc, line, re, values[0]);
    const edited = await waitForLenses(doc.uri, { differentFrom: first.sig });
    // The layer the literal sizes: on its line (TypeScript), or the first layer below a Python
    // `def __init__(self, in_features=…)` (`self.fc1 = nn.Linear(in_features, …)`, two lines down).
    const near = (byLine: Map<number, string[]>) => JSON.stringify([0, 1, 2, 3].map((d) => byLine.get(line + 1 + d)));
    if (near(edited.byLine) === near(first.byLine)) {
      throw new Error(`editing line ${line + 1} changed lenses elsewhere but not near it: ${lines[line].trim()}`);
    }
    sigs.set(values[0], edited.sig);
    const paintMarkers: [string, string] = [paintMarker(edited.byLine, first.byLine, line), paintMarker(first.byLine, edited.byLine, line)];
    for (let i = 1; i < WARMUP_EDITS; i++) {
      const value = values[i % 2];
      await setLiteral(doc, line, re, value);
      await waitForLenses(doc.uri, { equal: sigs.get(value)! });
      await sleep(PAINT_SETTLE_MS);
    }

    const fromChangeMs: number[] = [];
    const fromApplyMs: number[] = [];
    const polls: number[] = [];
    const startedMs: number[] = [];
    const analyzedMs: number[] = [];
    const changedEpochMs: number[] = [];
    for (let i = 0; i < opts.edits; i++) {
      const value = values[i % 2];
      changedAt = -1;
      startedAt = -1;
      analyzedAt = -1;
      const applyAt = performance.now();
      await setLiteral(doc, line, re, value);
      const got = await waitForLenses(doc.uri, { equal: sigs.get(value)! });
      const done = performance.now();
      if (changedAt < 0) throw new Error(`edit ${i + 1}: onDidChangeTextDocument never fired`);
      fromChangeMs.push(done - changedAt);
      changedEpochMs.push(performance.timeOrigin + changedAt);
      fromApplyMs.push(done - applyAt);
      polls.push(got.polls);
      startedMs.push(startedAt - changedAt);
      analyzedMs.push(analyzedAt - changedAt);
      await sleep(PAINT_SETTLE_MS);
    }
    return {
      language,
      file: path.basename(file),
      warmupEdits: WARMUP_EDITS,
      settleMs: PAINT_SETTLE_MS,
      pollMs: POLL_MS,
      lines: opts.lines,
      lineCount: doc.lineCount,
      models: opts.models,
      lensCount: first.count,
      openToFirstLensesMs,
      editLine: line + 1,
      editLineText: lines[line].trim(),
      values,
      fromChangeMs,
      fromApplyMs,
      polls,
      startedMs,
      analyzedMs,
      changedEpochMs,
      paintMarkers,
    };
  } finally {
    sub.dispose();
    subStart.dispose();
    subDone.dispose();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

/**
 * After the run the host exits at once, and may drop log lines not yet written: the extension's
 * `activated in N ms` line, which the runner reads from the log file, needs a moment.
 */
const LOG_FLUSH_MS = 1500;

/** Rounds of (c): the diagram's tab hidden and shown again. */
const DIAGRAM_ROUNDS = 10;

export async function runBench(opts: BenchOptions): Promise<BenchFigures> {
  const open = await measureOpenToFirstLens(opts.openedModel);
  if (opts.mode === 'activation') {
    await sleep(LOG_FLUSH_MS);
    return { open };
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const diagram = await measureDiagramReturn(DIAGRAM_ROUNDS);
  const edits = [await measureEdits(opts, 'typescript'), await measureEdits(opts, 'python')];
  return { open, diagram, edits };
}
