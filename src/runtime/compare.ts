import { Shape, formatShape } from '../core/shape';
import type { Finding, Plan, PlanNode } from './types';

/**
 * Static analysis vs the real pass: every shape and every count. A null static dim (tfjs's batch)
 * matches any size. Findings are empty exactly when the two agree.
 */

export function shapeAgrees(staticShape: Shape, actual: readonly (number | null)[]): boolean {
  return staticShape.length === actual.length && staticShape.every((d, i) => d === null || d === actual[i]);
}

const fmt = (s: readonly (number | null)[]) => formatShape(s as Shape);

export function compareNode(node: PlanNode, actual: number[][], params: number | undefined, trainable: number | undefined): Finding[] {
  const out: Finding[] = [];
  const f = (message: string) => out.push({ layer: node.name, message, id: node.id });
  const want = node.staticOutputs ?? [];
  if (want.length !== actual.length) {
    // A layer with several outputs is compared output by output; a count mismatch is itself a finding.
    if (!(want.length === 1 && actual.length > 1 && shapeAgrees(want[0], actual[0])))
      f(`static analysis expects ${want.length} output(s) ${want.map(fmt).join(', ')} but the real pass gives ${actual.length}: ${actual.map(fmt).join(', ')}`);
  } else {
    want.forEach((s, i) => {
      if (!shapeAgrees(s, actual[i])) f(`output${want.length > 1 ? ` ${i}` : ''} shape: static analysis says ${fmt(s)}, the real pass gives ${fmt(actual[i])}`);
    });
  }
  if (params !== undefined) {
    if (node.staticParams === null) f(`static analysis could not count the parameters; tfjs counts ${params}`);
    else if (node.staticParams !== params) f(`parameters: static analysis says ${node.staticParams}, tfjs counts ${params}`);
    if (trainable !== undefined && node.staticTrainable !== null && node.staticTrainable !== trainable)
      f(`trainable parameters: static analysis says ${node.staticTrainable}, tfjs counts ${trainable}`);
  }
  return out;
}

export function compareSymbolic(node: PlanNode, symbolic: (number | null)[][]): Finding[] {
  const want = node.staticOutputs ?? [];
  const out: Finding[] = [];
  want.forEach((s, i) => {
    const got = symbolic[i];
    if (got && (got.length !== s.length || got.some((d, j) => d !== s[j])))
      out.push({ layer: node.name, id: node.id, message: `tfjs's own shape inference gives ${fmt(got)}, static analysis says ${fmt(s)}` });
  });
  return out;
}

export function compareModel(plan: Plan, totalParams: number, outputs: number[][]): Finding[] {
  const out: Finding[] = [];
  if (plan.staticTotalParams === null) out.push({ layer: plan.model, message: `static analysis could not count the parameters; tfjs counts ${totalParams}` });
  else if (plan.staticTotalParams !== totalParams) out.push({ layer: plan.model, message: `total parameters: static analysis says ${plan.staticTotalParams}, tfjs's countParams() gives ${totalParams}` });
  plan.staticOutputShapes.forEach((s, i) => {
    const got = outputs[i];
    if (s === null) {
      if (got) out.push({ layer: plan.model, message: `static analysis could not infer output ${i + 1}; the real pass gives ${fmt(got)}` });
    } else if (!got) out.push({ layer: plan.model, message: `static analysis expects output ${i + 1} ${fmt(s)}, the real pass has no such output` });
    else if (!shapeAgrees(s, got)) out.push({ layer: plan.model, message: `output ${i + 1}: static analysis says ${fmt(s)}, the real pass gives ${fmt(got)}` });
  });
  return out;
}
