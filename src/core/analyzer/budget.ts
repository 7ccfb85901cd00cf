import type * as ts from 'typescript';
import type { Diagnostic } from '../summary';
import type { SourceInfo } from './source';

/** Raised when an analysis exceeds its step budget: the model is reported as too large or looping. */
export class BudgetExceeded extends Error {
  constructor() {
    super('analysis step budget exceeded');
  }
}

/** For catch-alls around catalog rules: running out of steps must stop the analysis, not become a reason. */
export function rethrowBudget(err: unknown): void {
  if (err instanceof BudgetExceeded) throw err;
}

/** Why a model's totals or outputs are unknown when its analysis ran out of steps. */
export function stoppedAfter(budget: number): string {
  return `the analysis stopped after ${budget.toLocaleString('en-US')} steps`;
}

/** The error at a model (or its builder) whose analysis ran out of steps. */
export function outOfSteps(src: SourceInfo, at: ts.Node, name: string, budget: number): Diagnostic {
  const start = src.start(at);
  return { line: src.lineOf(start), severity: 'error', message: `${name} is too large or loops: analysis stopped after ${budget.toLocaleString('en-US')} steps`, start, end: at.end, code: 'budget' };
}
