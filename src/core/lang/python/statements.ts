import { UnknownValue, isUnknown } from '../../unknown';
import { ModuleInstance, SymTensor } from '../../framework/values';
import type * as N from './nodes';
import { PyRaise, type PyInterp } from './interp';
import type { Scope } from './scope';
import { PyDict, PyException, PyFunction, PyObject, type PyValue } from './values';
import { binary, evalExpr, isKey, iterate, subscript, textOf, truthy } from './expressions';
import { defineClass, getAttr, setAttr, setItem } from './classes';
import { callValue } from './calls';
import { containerKind } from '../../framework/moduleApi';
import { runImport, runImportFrom } from './imports';

export type Completion = { kind: 'normal' } | { kind: 'return'; value: PyValue } | { kind: 'break' } | { kind: 'continue' };
export const NORMAL: Completion = { kind: 'normal' };
const MAX_ITERATIONS = 10_000;

export function execBlock(I: PyInterp, body: N.Stmt[], scope: Scope): Completion {
  for (const s of body) {
    const c = execStmt(I, s, scope);
    if (c.kind !== 'normal') return c;
  }
  return NORMAL;
}

/**
 * Marks what follows as uncertain: an undecidable branch or loop (the model's totals become `?`).
 * `skipped` is the code that may or may not have run: if it could have changed anything outside
 * the running function's locals, that counts as a change (calls.ts keeps a call's uncertainty
 * only when it changed something), so `for i in range(n): self.add_module(…)` with an unknown `n`
 * leaves the module unknown even though the loop never ran.
 */
function uncertain(I: PyInterp, at: N.Span, why: string, skipped?: N.Stmt[]): void {
  if (!skipped || mayHaveEffects(skipped)) I.effects++;
  I.controlUnknown ??= why;
  I.report(at, 'warning', `${why[0].toUpperCase()}${why.slice(1)}: whatever depends on it is unknown.`, 'unknown-branch');
}

/**
 * A loop not followed may have run its body any number of times: each local name it assigns
 * (`input = module(input)` in a Sequential's loop) holds an unknown value after it, rather than the
 * value from before the loop, which later code would otherwise use as if the loop never ran.
 */
function forgetAssigned(targets: N.Expr[], body: N.Stmt[], scope: Scope, why: string): void {
  const names = new Set<string>();
  const target = (t: N.Expr): void => {
    if (t.kind === 'name') names.add(t.id);
    else if (t.kind === 'tuple' || t.kind === 'list') for (const e of t.elts) target(e.kind === 'starred' ? e.value : e);
  };
  const walk = (stmts: N.Stmt[]): void => {
    for (const st of stmts) {
      if (st.kind === 'assign') st.targets.forEach(target);
      else if (st.kind === 'def' || st.kind === 'class') names.add(st.name);
      else if (st.kind === 'augassign') target(st.target);
      else if (st.kind === 'for') {
        target(st.target);
        walk(st.body);
        walk(st.orelse);
      } else if (st.kind === 'while' || st.kind === 'if') {
        walk(st.body);
        walk(st.orelse);
      } else if (st.kind === 'with') {
        for (const it of st.items) if (it.target) target(it.target);
        walk(st.body);
      } else if (st.kind === 'try') {
        walk(st.body);
        st.handlers.forEach(walk);
        walk(st.orelse);
        walk(st.finalbody);
      }
    }
  };
  targets.forEach(target);
  walk(body);
  for (const n of names) scope.set(n, new UnknownValue(why));
}

/** Whether statements could change anything but their function's local names: any call, a write through an attribute or index, a definition, an import. */
function mayHaveEffects(body: N.Stmt[]): boolean {
  return body.some((s) => {
    switch (s.kind) {
      case 'pass':
      case 'break':
      case 'continue':
        return false;
      case 'expr':
        return s.value.kind !== 'str' && hasCall(s.value);
      case 'assign':
        return s.targets.some((t) => !localTarget(t)) || (s.value !== undefined && hasCall(s.value));
      case 'augassign':
        // `layers += [...]` extends the list object in place, which others may hold.
        return !localTarget(s.target) || hasCall(s.value) || s.op === '+' || s.op === '*';
      case 'return':
        return s.value !== undefined && hasCall(s.value);
      case 'raise':
      case 'assert':
        return false;
      case 'if':
        return hasCall(s.test) || mayHaveEffects(s.body) || mayHaveEffects(s.orelse);
      case 'for':
        return hasCall(s.iter) || !localTarget(s.target) || mayHaveEffects(s.body) || mayHaveEffects(s.orelse);
      case 'while':
        return hasCall(s.test) || mayHaveEffects(s.body) || mayHaveEffects(s.orelse);
      default:
        return true;
    }
  });
}

function localTarget(t: N.Expr): boolean {
  return t.kind === 'name' || ((t.kind === 'tuple' || t.kind === 'list') && t.elts.every((e) => localTarget(e.kind === 'starred' ? e.value : e)));
}

/** Whether an expression contains a call (which may change its arguments) or a lambda/comprehension holding one. */
function hasCall(e: N.Expr): boolean {
  let found = false;
  const walk = (x: unknown): void => {
    if (found || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    const n = x as { kind?: string };
    if (n.kind === 'call' || n.kind === 'bad') {
      found = true;
      return;
    }
    for (const k of Object.keys(n)) if (k !== 'pos' && k !== 'end') walk((n as Record<string, unknown>)[k]);
  };
  walk(e);
  return found;
}

/** A block that only raises (after statements without effects): a failure path. */
function onlyRaises(body: N.Stmt[]): boolean {
  return body.length > 0 && body[body.length - 1].kind === 'raise' && body.every((s) => s.kind === 'raise' || s.kind === 'pass' || s.kind === 'expr');
}

export function execStmt(I: PyInterp, s: N.Stmt, scope: Scope): Completion {
  I.tick();
  switch (s.kind) {
    case 'expr':
      evalExpr(I, s.value, scope);
      return NORMAL;
    case 'assign': {
      if (!s.value) {
        // `x: int` without a value declares nothing at run time (dataclass fields: classes.ts).
        return NORMAL;
      }
      const v = evalExpr(I, s.value, scope);
      for (const t of s.targets) assignTarget(I, t, v, scope);
      return NORMAL;
    }
    case 'augassign': {
      const cur = evalExpr(I, s.target, scope);
      let v: PyValue;
      const rhs = evalExpr(I, s.value, scope);
      if (s.op === '+' && Array.isArray(cur) && Array.isArray(rhs)) {
        (cur as PyValue[]).push(...(rhs as PyValue[])); // in place: the same list object
        I.effects++;
        v = cur;
      } else if (s.op === '+' && cur instanceof ModuleInstance && (containerKind(cur) === 'ModuleList' || (containerKind(cur) === 'Sequential' && rhs instanceof ModuleInstance && containerKind(rhs) === 'Sequential'))) {
        // `self.layers += [block, …]`: ModuleList.__iadd__ is extend; Sequential's takes another Sequential's modules.
        callValue(I, getAttr(I, cur, 'extend', s), [rhs], new Map(), s);
        v = cur;
      } else v = binary(I, s.op, cur, rhs, s);
      assignTarget(I, s.target, v, scope);
      return NORMAL;
    }
    case 'if': {
      const test = evalExpr(I, s.test, scope);
      const t = truthy(test);
      if (t === undefined) {
        // A guard that only raises: a model exists only where it did not fire.
        if (onlyRaises(s.body)) return execBlock(I, s.orelse, scope);
        if (onlyRaises(s.orelse)) return execBlock(I, s.body, scope);
        const text = textOf(I, s.test);
        const why = `the condition \`${text}\` has no static value${isUnknown(test) ? ` (${test.reason})` : ''}`;
        uncertain(I, s.test, why, s.orelse);
        const outer = I.branchCondition;
        I.branchCondition ??= `\`${text}\``;
        let c: Completion;
        try {
          c = execBlock(I, s.body, scope);
        } finally {
          I.branchCondition = outer;
        }
        // The body ran as if the condition held; the names either branch assigns may hold other
        // values after it (`x = self.pool(x)` under an unknown flag: the next layer's input shape).
        if (c.kind === 'normal') forgetAssigned([], [...s.body, ...s.orelse], scope, why);
        return c;
      }
      return execBlock(I, t ? s.body : s.orelse, scope);
    }
    case 'for': {
      const iterable = evalExpr(I, s.iter, scope);
      const items = iterate(iterable) ?? moduleItems(iterable);
      if (!items) {
        const why = `the loop over \`${textOf(I, s.iter)}\` cannot be followed statically${isUnknown(iterable) ? ` (${iterable.reason})` : ''}`;
        uncertain(I, s.iter, why, [...s.body, ...s.orelse]);
        forgetAssigned([s.target], [...s.body, ...s.orelse], scope, why);
        return NORMAL;
      }
      let n = 0;
      for (const item of items) {
        if (++n > MAX_ITERATIONS) {
          uncertain(I, s.iter, `the loop over \`${textOf(I, s.iter)}\` runs too long to follow`, [...s.body, ...s.orelse]);
          forgetAssigned([s.target], [...s.body, ...s.orelse], scope, `the loop over \`${textOf(I, s.iter)}\` runs too long to follow`);
          return NORMAL;
        }
        assignTarget(I, s.target, item, scope);
        const c = execBlock(I, s.body, scope);
        if (c.kind === 'break') return NORMAL;
        if (c.kind === 'return') return c;
      }
      return execBlock(I, s.orelse, scope);
    }
    case 'while': {
      for (let n = 0; ; n++) {
        const t = truthy(evalExpr(I, s.test, scope));
        if (t === undefined) {
          uncertain(I, s.test, `the loop condition \`${textOf(I, s.test)}\` has no static value`, [...s.body, ...s.orelse]);
          forgetAssigned([], [...s.body, ...s.orelse], scope, `the loop condition \`${textOf(I, s.test)}\` has no static value`);
          return NORMAL;
        }
        if (!t) return execBlock(I, s.orelse, scope);
        if (n > MAX_ITERATIONS) {
          uncertain(I, s.test, `the loop \`while ${textOf(I, s.test)}\` runs too long to follow`, [...s.body, ...s.orelse]);
          forgetAssigned([], [...s.body, ...s.orelse], scope, `the loop \`while ${textOf(I, s.test)}\` runs too long to follow`);
          return NORMAL;
        }
        const c = execBlock(I, s.body, scope);
        if (c.kind === 'break') return NORMAL;
        if (c.kind === 'return') return c;
      }
    }
    case 'return':
      return { kind: 'return', value: s.value ? evalExpr(I, s.value, scope) : null };
    case 'raise': {
      const exc = s.exc ? evalExpr(I, s.exc, scope) : undefined;
      throw new PyRaise(exc instanceof PyException ? `${exc.type}${exc.message ? `: ${exc.message}` : ''}` : s.exc ? textOf(I, s.exc) : 'an exception', s);
    }
    case 'assert': {
      // An assert that cannot be decided is assumed to hold: a model exists only where it did.
      const t = truthy(evalExpr(I, s.test, scope));
      if (t === false) {
        const msg = s.msg ? evalExpr(I, s.msg, scope) : undefined;
        throw new PyRaise(`AssertionError${typeof msg === 'string' ? `: ${msg}` : ` (${textOf(I, s.test)})`}`, s);
      }
      return NORMAL;
    }
    case 'pass':
      return NORMAL;
    case 'break':
      return { kind: 'break' };
    case 'continue':
      return { kind: 'continue' };
    case 'def': {
      // Decorators other than @staticmethod/@classmethod/@property (classes.ts) are ignored: `@register_model()`.
      scope.set(s.name, new PyFunction(s, scope, I.file));
      return NORMAL;
    }
    case 'class':
      scope.set(s.name, defineClass(I, s, scope));
      return NORMAL;
    case 'import':
      runImport(I, s, scope);
      return NORMAL;
    case 'importfrom':
      runImportFrom(I, s, scope);
      return NORMAL;
    case 'global':
      for (const n of s.names) scope.declareGlobal(n);
      return NORMAL;
    case 'del':
      for (const t of s.targets) deleteTarget(I, t, scope);
      return NORMAL;
    case 'with':
      for (const it of s.items) {
        const v = evalExpr(I, it.ctx, scope);
        if (it.target) assignTarget(I, it.target, new UnknownValue(`the value of \`with ${textOf(I, it.ctx)}\``), scope);
        void v;
      }
      return execBlock(I, s.body, scope);
    case 'try': {
      // The path without exceptions: the body, then `else`, then `finally`.
      let c: Completion;
      try {
        c = execBlock(I, s.body, scope);
      } catch (e) {
        if (!(e instanceof PyRaise) || !s.handlers.length) throw e;
        const why = `an exception (${e.what}) inside try: which handler runs is not followed`;
        uncertain(I, s, why);
        forgetAssigned([], [...s.body, ...s.handlers.flat()], scope, why);
        return NORMAL;
      }
      if (c.kind === 'normal') c = execBlock(I, s.orelse, scope);
      const f = execBlock(I, s.finalbody, scope);
      return f.kind === 'normal' ? c : f;
    }
    case 'badstmt':
      uncertain(I, s, `${s.why.replace(/^a syntax error$/, 'a syntax error here')}`);
      return NORMAL;
  }
}

/**
 * `del self.fc` removes the submodule, parameter or attribute (`Module.__delattr__`); `del d[k]`
 * removes a dict's key. Any other deletion (`del self.layers[0]`, a name) that could change what a
 * model holds is not followed: what follows is unknown.
 */
function deleteTarget(I: PyInterp, t: N.Expr, scope: Scope): void {
  I.effects++;
  if (t.kind === 'name') return; // unbinding a name changes no module
  if (t.kind === 'attr') {
    const obj = evalExpr(I, t.obj, scope);
    if (obj instanceof ModuleInstance) {
      if (obj.parameters?.delete(t.name)) return;
      if (obj.fields.has(t.name)) {
        obj.fields.delete(t.name);
        obj.fieldNames.splice(obj.fieldNames.indexOf(t.name), 1);
      }
      return;
    }
    if (obj instanceof PyObject) {
      obj.attrs.delete(t.name);
      return;
    }
  }
  if (t.kind === 'subscript') {
    const obj = evalExpr(I, t.obj, scope);
    const k = evalExpr(I, t.index, scope);
    if (obj instanceof PyDict && isKey(k)) {
      obj.map.delete(k);
      return;
    }
    if (Array.isArray(obj) && typeof k === 'number' && Number.isInteger(k) && Math.abs(k) <= obj.length && k !== obj.length) {
      obj.splice(k < 0 ? obj.length + k : k, 1);
      return;
    }
  }
  if (t.kind === 'tuple' || t.kind === 'list') {
    for (const e of t.elts) deleteTarget(I, e, scope);
    return;
  }
  uncertain(I, t, `\`del ${textOf(I, t)}\` is not followed statically`);
}

/** Iterating an nn.ModuleList/Sequential gives its children (classes.ts). */
import { moduleItems } from './classes';

/** Binds an assignment target: a name, `self.x`, `d[k]`, or a tuple/list pattern with one `*rest`. */
export function assignTarget(I: PyInterp, t: N.Expr, v: PyValue, scope: Scope): void {
  switch (t.kind) {
    case 'name':
      scope.set(t.id, v);
      if (scope.module === scope) I.effects++;
      return;
    case 'attr':
      setAttr(I, evalExpr(I, t.obj, scope), t.name, v, t);
      return;
    case 'subscript':
      setItem(I, evalExpr(I, t.obj, scope), evalExpr(I, t.index, scope), v, t);
      return;
    case 'tuple':
    case 'list': {
      let items = iterate(v);
      if (!items && v instanceof SymTensor && v.shape && v.shape[0] !== null && v.shape[0] <= 64) {
        // `a, b = t`: unpacks along the first dimension.
        items = Array.from({ length: v.shape[0] as number }, (_, i) => subscript(I, v, i, t));
      }
      const star = t.elts.findIndex((e) => e.kind === 'starred');
      if (!items || (star < 0 && items.length !== t.elts.length) || (star >= 0 && items.length < t.elts.length - 1)) {
        const why = isUnknown(v) ? v : new UnknownValue(`\`${textOf(I, t)}\` cannot be unpacked statically`);
        for (const e of t.elts) assignTarget(I, e.kind === 'starred' ? e.value : e, why, scope);
        return;
      }
      if (star < 0) {
        t.elts.forEach((e, i) => assignTarget(I, e, items![i], scope));
        return;
      }
      const after = t.elts.length - star - 1;
      t.elts.slice(0, star).forEach((e, i) => assignTarget(I, e, items![i], scope));
      assignTarget(I, (t.elts[star] as N.Starred).value, items.slice(star, items.length - after), scope);
      t.elts.slice(star + 1).forEach((e, i) => assignTarget(I, e, items![items!.length - after + i], scope));
      return;
    }
    default:
      return;
  }
}
