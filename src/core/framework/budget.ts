import type { Diagnostic } from '../summary';
import type { Loc, SourceText } from './values';

/** Raised when an analysis exceeds its step budget: the model is reported as too large or looping. */
export class BudgetExceeded extends Error {
  constructor(message = 'analysis step budget exceeded') {
    super(message);
  }
}

/**
 * The whole file's budget ran out (steps, wall time or native work), or the analysis was
 * cancelled: what was finished is kept, every model still to come is `?` with this reason.
 * A BudgetExceeded, so every catch-all that lets running out of steps through lets it through too.
 */
export class FileBudgetExceeded extends BudgetExceeded {
  constructor(readonly why: string) {
    super(why);
  }
}

/** What one file's analysis may spend, all models and imports together. */
export interface FileLimits {
  /** Interpreter steps over the whole file (the per-model budget is `AnalyzeOptions.budget`). */
  steps: number;
  /** Wall time in milliseconds. */
  ms: number;
  /**
   * Native work: elements and characters that built-ins create or copy on the interpreter's
   * behalf (`a.concat(a)`, spreads, `Array.from({length})`) and the text of parsed imports.
   * Bounds the memory an analysis can allocate, which steps alone do not.
   */
  units: number;
}

/** Generous for real model files (the examples take under 1% of each); bounded for any file. */
export const DEFAULT_FILE_LIMITS: FileLimits = { steps: 2_000_000, ms: 10_000, units: 10_000_000 };

/** How often (in steps) the clock and the cancel flag are looked at: cheap, and still every few ms. */
const CHECK_EVERY = 1024;

/**
 * One file's budget, shared by every model in it and every file it imports. The interpreter
 * calls `step()` per evaluation step; built-ins call `charge(n)` for native work; `check()`
 * looks at the steps, the clock and the cancel flag. `cancel` is a SharedArrayBuffer-backed
 * flag another thread sets (non-zero) when the result is no longer wanted (the document changed).
 */
export class FileBudget {
  steps = 0;
  units = 0;
  private readonly deadline: number;
  /** Set once exhausted: every later check fails at once with the same reason. */
  private exhausted?: string;

  constructor(
    readonly limits: FileLimits = DEFAULT_FILE_LIMITS,
    private readonly cancel?: Int32Array,
  ) {
    this.deadline = Date.now() + limits.ms;
  }

  step(): void {
    if ((++this.steps & (CHECK_EVERY - 1)) === 0 || this.exhausted !== undefined) this.check();
  }

  /** Native work of `n` elements (or characters) about to be done: throws when it would go past the budget. */
  charge(n: number): void {
    if (!(n >= 0)) n = 0;
    this.units += n;
    if (this.units > this.limits.units) this.stop(`the file's analysis budget ran out (built-ins would create more than ${this.limits.units.toLocaleString('en-US')} elements)`);
    this.check();
  }

  check(): void {
    if (this.exhausted) throw new FileBudgetExceeded(this.exhausted);
    if (this.cancel && Atomics.load(this.cancel, 0) !== 0) this.stop('the analysis was cancelled');
    if (this.steps > this.limits.steps) this.stop(`the file's analysis budget ran out (${this.limits.steps.toLocaleString('en-US')} steps over all its models)`);
    if (Date.now() > this.deadline) this.stop(`the file's analysis budget ran out (${(this.limits.ms / 1000).toLocaleString('en-US')} s over all its models)`);
  }

  /**
   * Checks without throwing, between models: a budget found exhausted here makes the next
   * model's first step stop it, so it is reported as `?` with the reason like any other.
   */
  poll(): void {
    try {
      this.check();
    } catch (e) {
      if (!(e instanceof FileBudgetExceeded)) throw e;
    }
  }

  /** Why the budget ran out, if it did. */
  get exhaustedWhy(): string | undefined {
    return this.exhausted;
  }

  private stop(why: string): never {
    this.exhausted = why;
    throw new FileBudgetExceeded(why);
  }
}

/** For catch-alls around catalog rules: running out of steps must stop the analysis, not become a reason. */
export function rethrowBudget(err: unknown): void {
  if (err instanceof BudgetExceeded) throw err;
}

/** Why a model's totals or outputs are unknown when its analysis ran out of steps (or the file's budget, `err`). */
export function stoppedAfter(budget: number, err?: unknown): string {
  if (err instanceof FileBudgetExceeded) return err.why;
  return `the analysis stopped after ${budget.toLocaleString('en-US')} steps`;
}

/** The error at a model (or its builder) whose analysis ran out of steps (or the file's budget, `err`). */
export function outOfSteps(src: SourceText & { start(node: Loc): number }, at: Loc, name: string, budget: number, err?: unknown): Diagnostic {
  const start = src.start(at);
  const message = err instanceof FileBudgetExceeded ? `${name} was not fully analyzed: ${err.why}; what it could change is unknown` : `${name} is too large or loops: analysis stopped after ${budget.toLocaleString('en-US')} steps`;
  return { line: src.lineOf(start), severity: 'error', message, start, end: at.end, code: 'budget' };
}
