/**
 * ModelLens's own typed Python syntax tree. parse.ts converts @lezer/python's untyped tree into
 * these nodes at one boundary; nothing else in the Python front end sees lezer. Every node knows
 * its span in the file (`pos` is the node's first character, not leading whitespace, and `end`
 * is one past its last), which is all the shared semantics need of a location (see
 * framework/values.ts `Loc`). Anything the parser could not read becomes a `Bad` node with the
 * reason: the evaluator turns it into an unknown value, never into a guess.
 */

export interface Span {
  readonly pos: number;
  readonly end: number;
}

// ---- expressions ----

export interface Name extends Span { kind: 'name'; id: string }
export interface Num extends Span { kind: 'num'; value: number; /** `3j`, or an integer too large to hold exactly */ bad?: string }
export interface Str extends Span { kind: 'str'; value: string; bytes: boolean }
/** f-string: literal text and `{expr}` replacements (`!r` and format specs make it unknown). */
export interface FStr extends Span { kind: 'fstr'; parts: (string | { expr: Expr; conversion?: string; spec?: string })[] }
export interface Const extends Span { kind: 'const'; value: boolean | null | 'ellipsis' }
export interface Attr extends Span { kind: 'attr'; obj: Expr; name: string }
export interface Subscript extends Span { kind: 'subscript'; obj: Expr; index: Expr }
export interface Slice extends Span { kind: 'slice'; lower?: Expr; upper?: Expr; step?: Expr }
export interface Arg extends Span { kind: 'pos' | 'star' | 'kw' | 'dstar'; name?: string; value: Expr }
export interface Call extends Span { kind: 'call'; fn: Expr; args: Arg[] }
export interface Bin extends Span { kind: 'bin'; op: string; left: Expr; right: Expr }
export interface Unary extends Span { kind: 'unary'; op: '-' | '+' | '~' | 'not'; operand: Expr }
export interface BoolOp extends Span { kind: 'boolop'; op: 'and' | 'or'; left: Expr; right: Expr }
/** `a < b <= c`: Python's chained comparison (each pair, joined by `and`). */
export interface Compare extends Span { kind: 'compare'; first: Expr; rest: { op: string; right: Expr }[] }
export interface IfExp extends Span { kind: 'ifexp'; test: Expr; body: Expr; orelse: Expr }
export interface Lambda extends Span { kind: 'lambda'; params: Param[]; body: Expr }
export interface Seq extends Span { kind: 'tuple' | 'list' | 'set'; elts: Expr[] }
export interface Starred extends Span { kind: 'starred'; value: Expr }
/** `{k: v, **d}`: an entry without key is a `**` spread. */
export interface Dict extends Span { kind: 'dict'; items: { key?: Expr; value: Expr }[] }
export type Clause = { kind: 'for'; target: Expr; iter: Expr } | { kind: 'if'; test: Expr };
export interface Comp extends Span { kind: 'listcomp' | 'setcomp' | 'genexp' | 'dictcomp'; elt: Expr; value?: Expr; clauses: Clause[] }
/** Something ModelLens does not read (a syntax error, `yield`, `await`, `:=`): evaluates to unknown with `why`. */
export interface Bad extends Span { kind: 'bad'; why: string }

export type Expr = Name | Num | Str | FStr | Const | Attr | Subscript | Slice | Call | Bin | Unary | BoolOp | Compare | IfExp | Lambda | Seq | Starred | Dict | Comp | Bad;

// ---- statements ----

export interface Param extends Span { kind: 'param' | 'star' | 'dstar'; name: string; default?: Expr; /** after `*` or `*args` */ kwOnly: boolean }
export interface ExprStmt extends Span { kind: 'expr'; value: Expr }
/** `a = b = value`; `x: int = 3` (annotation ignored); `x: int` alone has no value. */
export interface Assign extends Span { kind: 'assign'; targets: Expr[]; value?: Expr; annotated: boolean }
export interface AugAssign extends Span { kind: 'augassign'; target: Expr; op: string; value: Expr }
export interface If extends Span { kind: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface For extends Span { kind: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
export interface While extends Span { kind: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface Return extends Span { kind: 'return'; value?: Expr }
export interface Raise extends Span { kind: 'raise'; exc?: Expr }
export interface Assert extends Span { kind: 'assert'; test: Expr; msg?: Expr }
export interface Simple extends Span { kind: 'pass' | 'break' | 'continue' }
export interface FunctionDef extends Span { kind: 'def'; name: string; nameSpan: Span; params: Param[]; body: Stmt[]; decorators: Expr[] }
export interface ClassDef extends Span { kind: 'class'; name: string; nameSpan: Span; bases: Arg[]; body: Stmt[]; decorators: Expr[] }
/** `import a.b.c as d` */
export interface Import extends Span { kind: 'import'; names: { path: string[]; asname?: string }[] }
/** `from ..pkg.mod import a as b, c`; `names` undefined for `import *` */
export interface ImportFrom extends Span { kind: 'importfrom'; level: number; module: string[]; names?: { name: string; asname?: string }[] }
export interface Global extends Span { kind: 'global'; names: string[] }
export interface Del extends Span { kind: 'del'; targets: Expr[] }
export interface With extends Span { kind: 'with'; items: { ctx: Expr; target?: Expr }[]; body: Stmt[] }
export interface Try extends Span { kind: 'try'; body: Stmt[]; handlers: Stmt[][]; orelse: Stmt[]; finalbody: Stmt[] }
/** A statement ModelLens does not read (match, async, a syntax error): evaluating it makes what follows uncertain. */
export interface BadStmt extends Span { kind: 'badstmt'; why: string }

export type Stmt = ExprStmt | Assign | AugAssign | If | For | While | Return | Raise | Assert | Simple | FunctionDef | ClassDef | Import | ImportFrom | Global | Del | With | Try | BadStmt;

export interface Module {
  body: Stmt[];
  /** Syntax errors lezer recovered from: where, and the first few for diagnostics. */
  errors: Span[];
}
