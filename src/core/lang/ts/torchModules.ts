// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import type { Interp } from './interp';
import { findMethod, tsClass } from './calls';
import { LayerInstance, type Loc, ModuleInstance, SymTensor, UnknownLayer, Value } from '../../framework/values';
import { FunctionValue } from './values';
import type { ClassInfo } from './values';

/** The class (or base class) method that implements `forward`. */
export function findForward(cls: ClassInfo | undefined): { method: ts.MethodDeclaration; cls: ClassInfo } | undefined {
  for (let c = cls; c; c = c.base) {
    const m = findMethod(c.node, 'forward');
    if (m) return { method: m, cls: c };
  }
  return undefined;
}

/**
 * How many tensors `forward` needs (its parameters without a default: `forward(q, k, v)` three),
 * at least one: the inputs a model is traced with when nothing gives their shapes.
 */
export function forwardArity(cls: ClassInfo): number {
  const fwd = findForward(cls);
  const required = fwd?.method.parameters.filter((p) => !p.initializer && !p.questionToken && !p.dotDotDotToken).length ?? 1;
  return Math.max(1, required);
}

/**
 * Traces a user module's `forward` on symbolic tensors. Without a usable `forward`, the
 * registered layers are chained in declaration order and the summary says so.
 */
export function runModuleForward(interp: Interp, inst: ModuleInstance, args: Value[], callNode?: Loc): Value {
  const cls = tsClass(inst);
  if (!cls) return new SymTensor(null, -1, `${inst.cls.name} is not a TypeScript class`);
  const fwd = findForward(cls);
  if (fwd) {
    interp.enterFile(fwd.cls.source, callNode);
    try {
      return interp.invoke(new FunctionValue(fwd.method, fwd.cls.scope, inst, fwd.cls), args, inst);
    } finally {
      interp.leaveFile();
    }
  }
  interp.withFile(
    cls.source,
    () => interp.report(cls.node.name ?? cls.node, 'info', `${inst.cls.name} has no forward(); its layers are shown in declaration order.`, 'no-forward'),
    callNode,
  );
  let x: Value = args[0];
  for (const v of inst.fields.values()) {
    if ((v instanceof LayerInstance && v.entry.container !== 'modulelist') || v instanceof UnknownLayer || v instanceof ModuleInstance) {
      x = interp.recorder ? interp.recorder.call(v, [x], inst.node) : x;
    }
  }
  return x instanceof SymTensor || Array.isArray(x) ? x : args[0];
}
