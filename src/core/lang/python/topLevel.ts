import { LayerInstance, ModuleInstance, ParameterValue, UnknownLayer } from '../../framework/values';
import { MODULE_METHODS } from '../../framework/moduleApi';
import type * as N from './nodes';
import { MISSING, type Scope } from './scope';
import { BoundMethod, PyClass, PyDict, PyFunction, PyModuleValue, PyNative, PyObject, PyPartial, type PyValue } from './values';
import { builtin } from './builtins';

/**
 * Whether a top-level statement that ModelLens could not follow to the end (a loop over a data
 * loader, `if torch.cuda.is_available():`, a call it cannot read) may have changed a model
 * instance made before it. Scripts train the model they define — `for xb, yb in loader: loss =
 * criterion(model(xb), yb); optimizer.step()` — which reads the model but changes none of its
 * registrations: making its totals `?` for that would help nobody. Anything that could change one
 * counts, whatever object it goes through:
 * - a store into an attribute or an item, or `del` of one (any object may alias the model);
 * - a call of the file's or the workspace's own code (its body may reach the model), or of
 *   `setattr`/`delattr`/`exec`/`eval`;
 * - a method call on, or a call given, a name bound to a module, a layer, a parameter or a
 *   container holding one, except nn.Module methods that register nothing (`parameters()`,
 *   `eval()`, `to()`, `state_dict()` …), Python's built-ins (`print(model)`), and calling the
 *   module itself (its forward);
 * - a statement ModelLens does not read.
 */
export function mayChangeModels(s: N.Stmt, scope: Scope): boolean {
  return new Walker(scope).stmt(s);
}

/** nn.Module methods that change no registration and no `requires_grad`. */
const READS_ONLY = new Set([...MODULE_METHODS].filter((m) => !['add_module', 'register_module', 'register_parameter', 'register_buffer', 'requires_grad_', 'apply', 'load_state_dict', 'type'].includes(m)));
const WRITES_ANYTHING = new Set(['setattr', 'delattr', 'exec', 'eval', 'globals', 'vars', '__import__']);

class Walker {
  constructor(private readonly scope: Scope) {}

  stmt(s: N.Stmt): boolean {
    switch (s.kind) {
      case 'expr':
        return this.expr(s.value);
      case 'assign':
        return s.targets.some((t) => this.target(t)) || (s.value !== undefined && this.expr(s.value));
      case 'augassign':
        return this.target(s.target) || this.expr(s.value);
      case 'if':
      case 'while':
        return this.expr(s.test) || this.block(s.body) || this.block(s.orelse);
      case 'for':
        return this.target(s.target) || this.expr(s.iter) || this.block(s.body) || this.block(s.orelse);
      case 'return':
        return s.value !== undefined && this.expr(s.value);
      case 'raise':
        return s.exc !== undefined && this.expr(s.exc);
      case 'assert':
        return this.expr(s.test);
      case 'with':
        return s.items.some((i) => this.expr(i.ctx) || (i.target !== undefined && this.target(i.target))) || this.block(s.body);
      case 'try':
        return this.block(s.body) || s.handlers.some((h) => this.block(h)) || this.block(s.orelse) || this.block(s.finalbody);
      case 'del':
        return s.targets.some((t) => t.kind !== 'name');
      case 'pass':
      case 'break':
      case 'continue':
      case 'import':
      case 'importfrom':
        return false;
      default:
        // def/class inside a loop or branch, `global`, a statement not read: not worth the risk.
        return true;
    }
  }

  private block(b: N.Stmt[]): boolean {
    return b.some((s) => this.stmt(s));
  }

  /** A store: into a name is harmless; into an attribute or an item may reach a model. */
  private target(t: N.Expr): boolean {
    if (t.kind === 'name') return false;
    if (t.kind === 'tuple' || t.kind === 'list') return t.elts.some((e) => this.target(e));
    if (t.kind === 'starred') return this.target(t.value);
    return true;
  }

  private expr(e: N.Expr | undefined): boolean {
    if (!e) return false;
    switch (e.kind) {
      case 'call':
        return this.call(e);
      case 'attr':
        return this.expr(e.obj);
      case 'subscript':
        return this.expr(e.obj) || this.expr(e.index);
      case 'slice':
        return this.expr(e.lower) || this.expr(e.upper) || this.expr(e.step);
      case 'bin':
      case 'boolop':
        return this.expr(e.left) || this.expr(e.right);
      case 'unary':
        return this.expr(e.operand);
      case 'compare':
        return this.expr(e.first) || e.rest.some((r) => this.expr(r.right));
      case 'ifexp':
        return this.expr(e.test) || this.expr(e.body) || this.expr(e.orelse);
      case 'lambda':
        return this.expr(e.body);
      case 'tuple':
      case 'list':
      case 'set':
        return e.elts.some((x) => this.expr(x));
      case 'starred':
        return this.expr(e.value);
      case 'dict':
        return e.items.some((i) => this.expr(i.key) || this.expr(i.value));
      case 'listcomp':
      case 'setcomp':
      case 'genexp':
      case 'dictcomp':
        return this.expr(e.elt) || this.expr(e.value) || e.clauses.some((c) => (c.kind === 'for' ? this.expr(c.iter) : this.expr(c.test)));
      case 'fstr':
        return e.parts.some((p) => typeof p !== 'string' && this.expr(p.expr));
      case 'bad':
        return true;
      default:
        return false;
    }
  }

  private call(c: N.Call): boolean {
    const fn = c.fn;
    let checkArgs = true;
    if (fn.kind === 'name') {
      if (WRITES_ANYTHING.has(fn.id)) return true;
      const v = this.value(fn.id);
      if (isOwnCode(v)) return true;
      // Python's built-ins read what they are given (print(model), len(model.blocks)).
      if (v instanceof PyNative && v === builtin(fn.id)) checkArgs = false;
    } else if (fn.kind === 'attr') {
      const root = rootName(fn.obj);
      const v = root === undefined ? undefined : this.value(root);
      if (v instanceof PyModuleValue) return true; // a function of a workspace module
      if (holdsModel(v) && !READS_ONLY.has(fn.name)) return true;
      if (this.expr(fn.obj)) return true;
    } else if (this.expr(fn)) return true;
    for (const a of c.args) {
      if (this.expr(a.value)) return true;
      if (checkArgs && this.refersToModel(a.value)) return true;
    }
    return false;
  }

  /** `model`, `model.features`, `blocks[0]`: an argument that hands a model (or part of one) over. */
  private refersToModel(e: N.Expr): boolean {
    if (e.kind === 'starred') return this.refersToModel(e.value);
    const root = rootName(e);
    return root !== undefined && holdsModel(this.value(root));
  }

  private value(name: string): PyValue | undefined {
    const v = this.scope.lookup(name);
    return v === MISSING ? undefined : v;
  }
}

/** The name a chain of attributes and items starts from: `model` for `model.features[0].weight`. */
function rootName(e: N.Expr): string | undefined {
  for (;;) {
    if (e.kind === 'name') return e.id;
    if (e.kind === 'attr' || e.kind === 'subscript') e = e.obj;
    else return undefined;
  }
}

function isOwnCode(v: PyValue | undefined): boolean {
  return v instanceof PyFunction || v instanceof BoundMethod || v instanceof PyPartial || v instanceof PyClass;
}

function isModuleLike(v: PyValue | undefined): boolean {
  return v instanceof ModuleInstance || v instanceof LayerInstance || v instanceof UnknownLayer || v instanceof ParameterValue;
}

/** A module, layer or parameter, or a list, dict or object holding one (two levels deep). */
function holdsModel(v: PyValue | undefined, depth = 0): boolean {
  if (isModuleLike(v)) return true;
  if (depth >= 2) return false;
  if (Array.isArray(v)) return v.some((x) => holdsModel(x, depth + 1));
  if (v instanceof PyDict) return [...v.map.values()].some((x) => holdsModel(x, depth + 1));
  if (v instanceof PyObject) return [...v.attrs.values()].some((x) => holdsModel(x, depth + 1));
  return false;
}
