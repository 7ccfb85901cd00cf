import { parser } from '@lezer/python';
import { TreeFragment, type SyntaxNode, type Tree } from '@lezer/common';
import type * as N from './nodes';
import { emptyMap } from '../../release';
import { lezerText } from './lezerText';

/**
 * The one boundary between @lezer/python and ModelLens: parses Python source and converts
 * lezer's untyped tree (a cursor over node names, with flat token runs such as `a , b = 1 , 2`)
 * into the typed nodes of nodes.ts. lezer recovers from half-typed code (an unclosed
 * `nn.Linear(784,`, a dangling `self.`) by inserting error nodes and carrying on; those become
 * `Bad` nodes here and the syntax errors are listed for diagnostics. See docs/python-parser.md for
 * why lezer.
 */
export function parsePython(text: string, file?: string): N.Module {
  // lezer reads its own copy (lezerText.ts: `0.` made readable); nodes are read from the user's text.
  const lexed = lezerText(text);
  if (file === undefined) return convert(text, parser.parse(lexed));
  const { tree, fromScratch } = parseIncrementally(file, lexed);
  const module = convert(text, tree);
  if (fromScratch || module.errors.length === 0) return module;
  // lezer's recovery from a syntax error can come out differently when it starts from reused
  // nodes (errors the edit removed may stay): a text with errors is parsed from scratch, so the
  // editor shows what the CLI shows. Typing in valid code keeps the incremental parse.
  const scratch = parser.parse(lexed);
  remember(file, lexed, scratch, true);
  return convert(text, scratch);
}

function convert(text: string, tree: Tree): N.Module {
  const c = new Converter(text);
  return { body: c.block(kids(tree.topNode)), errors: c.errors };
}

/**
 * The last lezer tree of each file, by path, with the text lezer read (lezerText's). A new text of the same file is parsed from the old
 * tree's fragments (`TreeFragment.applyChanges` with the changed span): lezer reuses every node
 * outside the edit, as its editors do. A one-line edit in a 5,000-line file then costs a few ms
 * instead of a full parse (most of a re-analysis when a user types).
 */
const trees = new Map<string, { text: string; tree: Tree; fromScratch: boolean }>();
const MAX_TREES = 64;

function parseIncrementally(file: string, text: string): { tree: Tree; fromScratch: boolean } {
  const old = trees.get(file);
  if (old?.text === text) return remember(file, text, old.tree, old.fromScratch);
  if (!old) return remember(file, text, parser.parse(text), true);
  const { from, toA, toB } = changedSpan(old.text, text);
  return remember(file, text, parser.parse(text, TreeFragment.applyChanges(TreeFragment.addTree(old.tree), [{ fromA: from, toA, fromB: from, toB }])), false);
}

function remember(file: string, text: string, tree: Tree, fromScratch: boolean): { tree: Tree; fromScratch: boolean } {
  trees.delete(file);
  trees.set(file, { text, tree, fromScratch });
  if (trees.size > MAX_TREES) trees.delete(trees.keys().next().value as string);
  return { tree, fromScratch };
}

/** Where two texts differ: their common prefix and suffix trimmed (`toA` in the old text, `toB` in the new). */
function changedSpan(a: string, b: string): { from: number; toA: number; toB: number } {
  let from = 0;
  const max = Math.min(a.length, b.length);
  while (from < max && a.charCodeAt(from) === b.charCodeAt(from)) from++;
  let toA = a.length;
  let toB = b.length;
  while (toA > from && toB > from && a.charCodeAt(toA - 1) === b.charCodeAt(toB - 1)) {
    toA--;
    toB--;
  }
  return { from, toA, toB };
}

/** Forgets every file's tree: the next parse of each is from scratch (benchmarks measure that). */
export function clearPythonParseCache(): void {
  emptyMap(trees); // not `clear()`: see release.ts
}

/** A node's children, without comments (they carry no meaning here; `@inputShape` tags are read from the text). */
function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let k = n.firstChild; k; k = k.nextSibling) if (k.name !== 'Comment') out.push(k);
  return out;
}

const ERROR = '⚠';
/** How deep expressions may nest before the rest is unknown (a fuzzed `((((…` must not overflow the stack). */
const MAX_DEPTH = 200;

/** Splits children at separator tokens (`,` in lists, `=` in assignments); empty runs are dropped. */
function split(nodes: SyntaxNode[], sep: string): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [];
  let cur: SyntaxNode[] = [];
  for (const n of nodes) {
    if (n.name === sep) {
      if (cur.length) groups.push(cur);
      cur = [];
    } else cur.push(n);
  }
  if (cur.length) groups.push(cur);
  return groups;
}

const COMPARE = new Set(['<', '>', '==', '>=', '<=', '!=', 'in', 'not in', 'is', 'is not', '<>']);

class Converter {
  readonly errors: N.Span[] = [];
  private depth = 0;
  constructor(private readonly text: string) {}

  private src(n: { from: number; to: number }): string {
    return this.text.slice(n.from, n.to);
  }

  private bad(n: { from: number; to: number }, why: string): N.Bad {
    return { kind: 'bad', why, pos: n.from, end: n.to };
  }

  private error(n: SyntaxNode): N.Bad {
    this.errors.push({ pos: n.from, end: Math.max(n.to, n.from + 1) });
    return this.bad(n, 'a syntax error');
  }

  // ---------------- statements ----------------

  block(nodes: SyntaxNode[]): N.Stmt[] {
    const out: N.Stmt[] = [];
    for (const n of nodes) {
      if (n.name === ':' || n.name === ';') continue;
      for (const s of this.stmt(n)) out.push(s);
    }
    return out;
  }

  private body(n: SyntaxNode | undefined): N.Stmt[] {
    if (!n) return [];
    if (n.name !== 'Body') return this.stmt(n);
    return this.block(kids(n));
  }

  private stmt(n: SyntaxNode): N.Stmt[] {
    const at = { pos: n.from, end: n.to };
    const k = kids(n);
    switch (n.name) {
      case 'ExpressionStatement':
        return [{ kind: 'expr', value: this.exprList(k), ...at }];
      case 'AssignStatement':
        return [this.assign(n, k)];
      case 'UpdateStatement': {
        const i = k.findIndex((x) => x.name === 'UpdateOp');
        if (i < 1) return [this.badStmt(n)];
        return [{ kind: 'augassign', target: this.exprList(k.slice(0, i)), op: this.src(k[i]).replace(/=$/, ''), value: this.exprList(k.slice(i + 1)), ...at }];
      }
      case 'IfStatement':
        return [this.ifChain(k, 0, n.to)];
      case 'WhileStatement': {
        const bodies = k.filter((x) => x.name === 'Body');
        return [{ kind: 'while', test: this.exprList(k.slice(1, k.indexOf(bodies[0]))), body: this.body(bodies[0]), orelse: this.body(bodies[1]), ...at }];
      }
      case 'ForStatement': {
        const i = k.findIndex((x) => x.name === 'in');
        const bodies = k.filter((x) => x.name === 'Body');
        const start = k.findIndex((x) => x.name === 'for') + 1;
        if (i < 0 || !bodies.length) return [this.badStmt(n)];
        return [{ kind: 'for', target: this.exprList(k.slice(start, i)), iter: this.exprList(k.slice(i + 1, k.indexOf(bodies[0]))), body: this.body(bodies[0]), orelse: this.body(bodies[1]), ...at }];
      }
      case 'ReturnStatement':
        return [{ kind: 'return', value: k.length > 1 ? this.exprList(k.slice(1)) : undefined, ...at }];
      case 'RaiseStatement': {
        const from = k.findIndex((x) => x.name === 'from');
        const rest = from < 0 ? k.slice(1) : k.slice(1, from);
        return [{ kind: 'raise', exc: rest.length ? this.exprList(rest) : undefined, ...at }];
      }
      case 'AssertStatement': {
        const parts = split(k.slice(1), ',');
        return [{ kind: 'assert', test: parts[0] ? this.exprList(parts[0]) : this.bad(n, 'an empty assert'), msg: parts[1] ? this.exprList(parts[1]) : undefined, ...at }];
      }
      case 'PassStatement':
        return [{ kind: 'pass', ...at }];
      case 'BreakStatement':
        return [{ kind: 'break', ...at }];
      case 'ContinueStatement':
        return [{ kind: 'continue', ...at }];
      case 'DeleteStatement':
        return [{ kind: 'del', targets: split(k.slice(1), ',').map((g) => this.exprList(g)), ...at }];
      case 'ScopeStatement':
        return [{ kind: 'global', names: k.filter((x) => x.name === 'VariableName').map((x) => this.src(x)), ...at }];
      case 'ImportStatement':
        return [this.importStmt(n, k)];
      case 'FunctionDefinition':
        return [this.funcDef(n, k, [])];
      case 'ClassDefinition':
        return [this.classDef(n, k, [])];
      case 'DecoratedStatement': {
        const decorators = k.filter((x) => x.name === 'Decorator').map((d) => this.decorator(d));
        const def = k.find((x) => x.name === 'FunctionDefinition' || x.name === 'ClassDefinition');
        if (!def) return [this.badStmt(n)];
        const s = def.name === 'ClassDefinition' ? this.classDef(def, kids(def), decorators) : this.funcDef(def, kids(def), decorators);
        return [{ ...s, pos: n.from }];
      }
      case 'WithStatement': {
        const bodyNode = k.find((x) => x.name === 'Body');
        const items = split(k.slice(1, bodyNode ? k.indexOf(bodyNode) : k.length), ',').map((g) => {
          const as = g.findIndex((x) => x.name === 'as');
          return as < 0 ? { ctx: this.exprList(g) } : { ctx: this.exprList(g.slice(0, as)), target: this.exprList(g.slice(as + 1)) };
        });
        return [{ kind: 'with', items, body: this.body(bodyNode), ...at }];
      }
      case 'TryStatement': {
        const out: N.Try = { kind: 'try', body: [], handlers: [], orelse: [], finalbody: [], ...at };
        let last = 'try';
        for (const x of k) {
          if (x.name === 'try' || x.name === 'except' || x.name === 'else' || x.name === 'finally') last = x.name;
          else if (x.name === 'Body') {
            const b = this.body(x);
            if (last === 'try') out.body = b;
            else if (last === 'except') out.handlers.push(b);
            else if (last === 'else') out.orelse = b;
            else out.finalbody = b;
          }
        }
        return [out];
      }
      case 'StatementGroup':
        return this.block(k);
      case ERROR:
        this.errors.push({ pos: n.from, end: Math.max(n.to, n.from + 1) });
        return [{ kind: 'badstmt', why: 'a syntax error', ...at }];
      default:
        return [this.badStmt(n)];
    }
  }

  /** `@a.b(args)`: lezer gives the dotted name's tokens and the ArgList flat under Decorator. */
  private decorator(d: SyntaxNode): N.Expr {
    let e: N.Expr | undefined;
    for (const x of kids(d)) {
      if ((x.name === 'PropertyName' || x.name === 'VariableName') && e) e = { kind: 'attr', obj: e, name: this.src(x), pos: e.pos, end: x.to };
      else if (x.name === 'VariableName') e = { kind: 'name', id: this.src(x), pos: x.from, end: x.to };
      else if (x.name === 'ArgList' && e) e = { kind: 'call', fn: e, args: this.args(x), pos: e.pos, end: x.to };
      else if (x.name !== 'At' && x.name !== '.') return this.expr(x);
    }
    return e ?? this.bad(d, 'a decorator ModelLens cannot read');
  }

  private badStmt(n: SyntaxNode): N.BadStmt {
    const word = n.name.replace(/Statement$/, '').toLowerCase();
    return { kind: 'badstmt', why: `a ${word} statement is not evaluated by ModelLens`, pos: n.from, end: n.to };
  }

  private assign(n: SyntaxNode, k: SyntaxNode[]): N.Assign {
    const annotated = k.some((x) => x.name === 'TypeDef');
    const groups = split(k.filter((x) => x.name !== 'TypeDef'), 'AssignOp');
    const exprs = groups.map((g) => this.exprList(g));
    if (exprs.length === 1) return { kind: 'assign', targets: exprs, value: undefined, annotated, pos: n.from, end: n.to };
    return { kind: 'assign', targets: exprs.slice(0, -1), value: exprs[exprs.length - 1], annotated, pos: n.from, end: n.to };
  }

  /** `if a: … elif b: … else: …` as nested Ifs, starting at child i (an `if` or `elif` token). */
  private ifChain(k: SyntaxNode[], i: number, end: number): N.If {
    const bodyAt = k.findIndex((x, j) => j > i && x.name === 'Body');
    if (bodyAt < 0) return { kind: 'if', test: this.bad(k[i], 'an incomplete if'), body: [], orelse: [], pos: k[i].from, end };
    const test = this.exprList(k.slice(i + 1, bodyAt));
    const body = this.body(k[bodyAt]);
    const next = k[bodyAt + 1];
    let orelse: N.Stmt[] = [];
    if (next?.name === 'elif') orelse = [this.ifChain(k, bodyAt + 1, end)];
    else if (next?.name === 'else') orelse = this.body(k[bodyAt + 2]);
    return { kind: 'if', test, body, orelse, pos: k[i].from, end };
  }

  private importStmt(n: SyntaxNode, k: SyntaxNode[]): N.Stmt {
    const at = { pos: n.from, end: n.to };
    if (k[0]?.name === 'from') {
      const imp = k.findIndex((x) => x.name === 'import');
      if (imp < 0) return this.badStmt(n);
      let level = 0;
      const module: string[] = [];
      for (const x of k.slice(1, imp)) {
        if (x.name === '.') level += module.length ? 0 : 1;
        else if (x.name === 'Ellipsis') level += 3;
        else if (x.name === 'VariableName') module.push(this.src(x));
      }
      const rest = k.slice(imp + 1).filter((x) => x.name !== '(' && x.name !== ')');
      if (rest.some((x) => x.name === '*')) return { kind: 'importfrom', level, module, names: undefined, ...at };
      const names = split(rest, ',').map((g) => {
        const vs = g.filter((x) => x.name === 'VariableName').map((x) => this.src(x));
        return { name: vs[0], asname: g.some((x) => x.name === 'as') ? vs[1] : undefined };
      }).filter((x) => x.name);
      return { kind: 'importfrom', level, module, names, ...at };
    }
    const names = split(k.slice(1), ',').map((g) => {
      const as = g.findIndex((x) => x.name === 'as');
      const path = (as < 0 ? g : g.slice(0, as)).filter((x) => x.name === 'VariableName').map((x) => this.src(x));
      return { path, asname: as < 0 ? undefined : g[as + 1] && this.src(g[as + 1]) };
    }).filter((x) => x.path.length);
    return { kind: 'import', names, ...at };
  }

  private funcDef(n: SyntaxNode, k: SyntaxNode[], decorators: N.Expr[]): N.FunctionDef {
    const nameNode = k.find((x) => x.name === 'VariableName');
    const params = k.find((x) => x.name === 'ParamList');
    const body = k.find((x) => x.name === 'Body');
    return {
      kind: 'def',
      name: nameNode ? this.src(nameNode) : '<missing>',
      nameSpan: nameNode ? { pos: nameNode.from, end: nameNode.to } : { pos: n.from, end: n.to },
      params: params ? this.params(kids(params)) : [],
      body: this.body(body),
      decorators,
      pos: n.from,
      end: n.to,
    };
  }

  private classDef(n: SyntaxNode, k: SyntaxNode[], decorators: N.Expr[]): N.ClassDef {
    const nameNode = k.find((x) => x.name === 'VariableName');
    const argList = k.find((x) => x.name === 'ArgList');
    const body = k.find((x) => x.name === 'Body');
    return {
      kind: 'class',
      name: nameNode ? this.src(nameNode) : '<missing>',
      nameSpan: nameNode ? { pos: nameNode.from, end: nameNode.to } : { pos: n.from, end: n.to },
      bases: argList ? this.args(argList) : [],
      body: this.body(body),
      decorators,
      pos: n.from,
      end: n.to,
    };
  }

  /** A ParamList's children (with or without parentheses: lambdas have none). */
  private params(k: SyntaxNode[]): N.Param[] {
    const out: N.Param[] = [];
    let kwOnly = false;
    for (const g of split(k.filter((x) => x.name !== '(' && x.name !== ')'), ',')) {
      const first = g[0];
      const name = g.find((x) => x.name === 'VariableName');
      const eq = g.findIndex((x) => x.name === 'AssignOp');
      const at = { pos: first.from, end: g[g.length - 1].to };
      if (first.name === '*') {
        kwOnly = true;
        if (name) out.push({ kind: 'star', name: this.src(name), kwOnly: false, ...at });
      } else if (first.name === '**') {
        if (name) out.push({ kind: 'dstar', name: this.src(name), kwOnly: true, ...at });
      } else if (name) {
        out.push({ kind: 'param', name: this.src(name), default: eq >= 0 ? this.exprList(g.slice(eq + 1)) : undefined, kwOnly, ...at });
      }
    }
    return out;
  }

  // ---------------- expressions ----------------

  /** One expression, or several separated by commas: a tuple (`return a, b`, `x, y = …`). */
  exprList(nodes: SyntaxNode[]): N.Expr {
    if (nodes.length === 0) return { kind: 'bad', why: 'a missing expression', pos: 0, end: 0 };
    const groups = split(nodes, ',');
    const trailingComma = nodes[nodes.length - 1].name === ',';
    if (groups.length === 1 && !trailingComma) return this.item(groups[0]);
    return { kind: 'tuple', elts: groups.map((g) => this.item(g)), pos: nodes[0].from, end: nodes[nodes.length - 1].to };
  }

  /** One comma-separated item: an expression or `*expr`. */
  private item(g: SyntaxNode[]): N.Expr {
    if (g[0].name === '*' && g.length > 1) return { kind: 'starred', value: this.item(g.slice(1)), pos: g[0].from, end: g[g.length - 1].to };
    if (g.length === 1) return this.expr(g[0]);
    const err = g.find((x) => x.name === ERROR);
    if (err) return this.error(err);
    return this.bad({ from: g[0].from, to: g[g.length - 1].to }, 'an expression ModelLens cannot read');
  }

  expr(n: SyntaxNode): N.Expr {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return this.bad(n, 'an expression nested too deeply');
    }
    try {
      return this.exprInner(n);
    } finally {
      this.depth--;
    }
  }

  private exprInner(n: SyntaxNode): N.Expr {
    const at = { pos: n.from, end: n.to };
    const k = kids(n);
    switch (n.name) {
      case 'VariableName':
        return { kind: 'name', id: this.src(n), ...at };
      case 'Number':
        return number(this.src(n), at);
      case 'String':
        return { kind: 'str', ...decodeString(this.src(n)), ...at };
      case 'ContinuedString': {
        const parts = k.map((x) => this.expr(x));
        if (parts.every((p): p is N.Str => p.kind === 'str')) return { kind: 'str', value: parts.map((p) => p.value).join(''), bytes: parts[0]?.bytes ?? false, ...at };
        const fparts: N.FStr['parts'] = [];
        for (const p of parts) {
          if (p.kind === 'str') fparts.push(p.value);
          else if (p.kind === 'fstr') fparts.push(...p.parts);
          else return this.bad(n, 'a string ModelLens cannot read');
        }
        return { kind: 'fstr', parts: fparts, ...at };
      }
      case 'FormatString':
        return this.fstring(n, k);
      case 'Boolean':
        return { kind: 'const', value: this.src(n) === 'True', ...at };
      case 'None':
        return { kind: 'const', value: null, ...at };
      case 'Ellipsis':
        return { kind: 'const', value: 'ellipsis', ...at };
      case 'ParenthesizedExpression': {
        const inner = k.filter((x) => x.name !== '(' && x.name !== ')');
        return inner.length === 1 ? this.expr(inner[0]) : this.exprList(inner);
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'SetExpression': {
        const inner = k.slice(1, k[k.length - 1]?.name.match(/^[)\]}]$/) ? -1 : undefined);
        const kind = n.name === 'TupleExpression' ? 'tuple' : n.name === 'ArrayExpression' ? 'list' : 'set';
        return { kind, elts: split(inner, ',').map((g) => this.item(g)), ...at };
      }
      case 'DictionaryExpression': {
        const inner = k.slice(1, k[k.length - 1]?.name === '}' ? -1 : undefined);
        const items: N.Dict['items'] = [];
        for (const g of split(inner, ',')) {
          if (g[0].name === '**') items.push({ value: this.item(g.slice(1)) });
          else {
            const colon = g.findIndex((x) => x.name === ':');
            if (colon < 0) items.push({ key: this.bad(g[0], 'a dictionary entry without a key'), value: this.item(g) });
            else items.push({ key: this.item(g.slice(0, colon)), value: this.item(g.slice(colon + 1)) });
          }
        }
        return { kind: 'dict', items, ...at };
      }
      case 'ComprehensionExpression':
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'DictionaryComprehensionExpression': {
        const inner = k.slice(1, -1);
        const kind = n.name === 'ComprehensionExpression' ? 'genexp' : n.name === 'ArrayComprehensionExpression' ? 'listcomp' : n.name === 'SetComprehensionExpression' ? 'setcomp' : 'dictcomp';
        return this.comprehension(kind, inner, at);
      }
      case 'MemberExpression': {
        if (!k.length) return this.error(n);
        const obj = this.expr(k[0]);
        if (k[1]?.name === '.') {
          const prop = k[2];
          if (!prop || prop.name !== 'PropertyName') return this.error(prop ?? n);
          return { kind: 'attr', obj, name: this.src(prop), ...at };
        }
        if (k[1]?.name === '[') return { kind: 'subscript', obj, index: this.subscript(k.slice(2, k[k.length - 1].name === ']' ? -1 : undefined), n), ...at };
        return this.error(n);
      }
      case 'CallExpression': {
        const argList = k.find((x) => x.name === 'ArgList');
        if (!k.length || !argList) return this.error(n);
        return { kind: 'call', fn: this.expr(k[0]), args: this.args(argList), ...at };
      }
      case 'BinaryExpression': {
        if (k.length < 3) return this.error(n);
        const left = k[0];
        const right = k[k.length - 1];
        const op = this.text.slice(left.to, right.from).trim().replace(/\s+/g, ' ');
        const l = this.expr(left);
        const r = this.expr(right);
        if (op === 'and' || op === 'or') return { kind: 'boolop', op, left: l, right: r, ...at };
        if (COMPARE.has(op)) {
          // lezer nests `a < b < c` to the left; Python chains it. A parenthesized left stays a value.
          if (l.kind === 'compare' && left.name === 'BinaryExpression') return { kind: 'compare', first: l.first, rest: [...l.rest, { op, right: r }], ...at };
          return { kind: 'compare', first: l, rest: [{ op, right: r }], ...at };
        }
        return { kind: 'bin', op, left: l, right: r, ...at };
      }
      case 'UnaryExpression': {
        if (k.length < 2) return this.error(n);
        const op = this.src(k[0]).trim();
        if (op !== '-' && op !== '+' && op !== '~' && op !== 'not') return this.bad(n, `the operator ${op}`);
        return { kind: 'unary', op, operand: this.expr(k[k.length - 1]), ...at };
      }
      case 'ConditionalExpression': {
        const i = k.findIndex((x) => x.name === 'if');
        const e = k.findIndex((x) => x.name === 'else');
        if (i < 0 || e < 0) return this.error(n);
        return { kind: 'ifexp', body: this.exprList(k.slice(0, i)), test: this.exprList(k.slice(i + 1, e)), orelse: this.exprList(k.slice(e + 1)), ...at };
      }
      case 'LambdaExpression': {
        const colon = k.findIndex((x) => x.name === ':');
        const params = k.find((x) => x.name === 'ParamList');
        if (colon < 0) return this.error(n);
        return { kind: 'lambda', params: params ? this.params(kids(params)) : [], body: this.exprList(k.slice(colon + 1)), ...at };
      }
      case 'NamedExpression':
        return this.bad(n, 'an assignment expression (:=)');
      case 'YieldExpression':
        return this.bad(n, 'yield');
      case 'AwaitExpression':
        return this.bad(n, 'await');
      case ERROR:
        return this.error(n);
      default:
        return this.bad(n, `a ${n.name} ModelLens does not evaluate`);
    }
  }

  private comprehension(kind: N.Comp['kind'], inner: SyntaxNode[], at: N.Span): N.Expr {
    const firstFor = inner.findIndex((x) => x.name === 'for' || x.name === 'async');
    if (firstFor < 1) return { kind: 'bad', why: 'a comprehension ModelLens cannot read', ...at };
    let elt: N.Expr;
    let value: N.Expr | undefined;
    const head = inner.slice(0, firstFor);
    if (kind === 'dictcomp') {
      const colon = head.findIndex((x) => x.name === ':');
      if (colon < 0) return { kind: 'bad', why: 'a dictionary comprehension without a key', ...at };
      elt = this.exprList(head.slice(0, colon));
      value = this.exprList(head.slice(colon + 1));
    } else elt = this.exprList(head);
    const clauses: N.Clause[] = [];
    let i = firstFor;
    while (i < inner.length) {
      const t = inner[i];
      if (t.name === 'async') {
        i++;
        continue;
      }
      // The clause runs to the next `for`/`if` token at this level.
      let j = i + 1;
      while (j < inner.length && inner[j].name !== 'for' && inner[j].name !== 'if' && inner[j].name !== 'async') j++;
      const part = inner.slice(i + 1, j);
      if (t.name === 'for') {
        const inAt = part.findIndex((x) => x.name === 'in');
        if (inAt < 0) return { kind: 'bad', why: 'a comprehension ModelLens cannot read', ...at };
        clauses.push({ kind: 'for', target: this.exprList(part.slice(0, inAt)), iter: this.exprList(part.slice(inAt + 1)) });
      } else if (t.name === 'if') clauses.push({ kind: 'if', test: this.exprList(part) });
      else return { kind: 'bad', why: 'a comprehension ModelLens cannot read', ...at };
      i = j;
    }
    return { kind, elt, value, clauses, ...at };
  }

  /** The inside of `x[…]`: one index, a slice `a:b:c`, or a tuple of them (`x[:, 0]`). */
  private subscript(inner: SyntaxNode[], n: SyntaxNode): N.Expr {
    if (!inner.length) return this.error(n);
    const groups = split(inner, ',');
    const one = (g: SyntaxNode[]): N.Expr => {
      if (!g.some((x) => x.name === ':')) return this.item(g);
      const parts: SyntaxNode[][] = [[]];
      for (const x of g) {
        if (x.name === ':') parts.push([]);
        else parts[parts.length - 1].push(x);
      }
      const e = (p: SyntaxNode[] | undefined) => (p && p.length ? this.exprList(p) : undefined);
      return { kind: 'slice', lower: e(parts[0]), upper: e(parts[1]), step: e(parts[2]), pos: g[0].from, end: g[g.length - 1].to };
    };
    if (groups.length === 1 && inner[inner.length - 1].name !== ',') return one(groups[0]);
    return { kind: 'tuple', elts: groups.map(one), pos: inner[0].from, end: inner[inner.length - 1].to };
  }

  private args(argList: SyntaxNode): N.Arg[] {
    const k = kids(argList).filter((x) => x.name !== '(' && x.name !== ')');
    if (k.some((x) => x.name === 'for')) {
      // `f(x for x in y)`: one generator argument.
      const comp = this.comprehension('genexp', k, { pos: argList.from, end: argList.to });
      return [{ kind: 'pos', value: comp, pos: comp.pos, end: comp.end }];
    }
    const out: N.Arg[] = [];
    for (const g of split(k, ',')) {
      const at = { pos: g[0].from, end: g[g.length - 1].to };
      if (g[0].name === '*') out.push({ kind: 'star', value: this.item(g.slice(1)), ...at });
      else if (g[0].name === '**') out.push({ kind: 'dstar', value: this.item(g.slice(1)), ...at });
      else if (g.length >= 2 && g[0].name === 'VariableName' && g[1].name === 'AssignOp') out.push({ kind: 'kw', name: this.src(g[0]), value: this.item(g.slice(2)), ...at });
      else out.push({ kind: 'pos', value: this.item(g), ...at });
    }
    return out;
  }

  private fstring(n: SyntaxNode, k: SyntaxNode[]): N.Expr {
    const raw = this.src(n);
    const m = /^([A-Za-z]*)('''|"""|'|")/.exec(raw);
    if (!m) return this.bad(n, 'a string ModelLens cannot read');
    const rawMode = /r/i.test(m[1]);
    const open = n.from + m[0].length;
    const close = raw.endsWith(m[2]) && raw.length >= m[0].length + m[2].length ? n.to - m[2].length : n.to;
    const parts: N.FStr['parts'] = [];
    let p = open;
    const literal = (to: number) => {
      if (to > p) parts.push(unescape(this.text.slice(p, to), rawMode).replace(/\{\{/g, '{').replace(/\}\}/g, '}'));
    };
    for (const r of k) {
      if (r.name !== 'FormatReplacement') continue;
      literal(r.from);
      const rk = kids(r).filter((x) => x.name !== '{' && x.name !== '}');
      const exprNodes = rk.filter((x) => x.name !== 'FormatConversion' && x.name !== 'FormatSpec' && x.name !== 'FormatSelfDoc');
      const conv = rk.find((x) => x.name === 'FormatConversion');
      const spec = rk.find((x) => x.name === 'FormatSpec');
      const selfDoc = rk.some((x) => x.name === 'FormatSelfDoc');
      parts.push({
        expr: exprNodes.length ? this.exprList(exprNodes) : this.bad(r, 'an empty f-string replacement'),
        conversion: conv ? this.src(conv) : selfDoc ? '=' : undefined,
        spec: spec ? this.src(spec).replace(/^:/, '') : undefined,
      });
      p = r.to;
    }
    literal(close);
    return { kind: 'fstr', parts, pos: n.from, end: n.to };
  }
}

function number(text: string, at: N.Span): N.Num {
  const t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return { kind: 'num', value: NaN, bad: 'a complex number', ...at };
  let v: number;
  if (/^0[oO]/.test(t)) v = parseInt(t.slice(2), 8);
  else if (/^0[bB]/.test(t)) v = parseInt(t.slice(2), 2);
  else v = Number(t);
  if (Number.isNaN(v)) return { kind: 'num', value: NaN, bad: `the number ${text}`, ...at };
  const isInt = /^(0[xXoObB][0-9a-fA-F]+|\d+)$/.test(t);
  if (isInt && !Number.isSafeInteger(v)) return { kind: 'num', value: v, bad: `the integer ${text} is too large to hold exactly`, ...at };
  return { kind: 'num', value: v, ...at };
}

/** A string literal's value: prefix (r, b, u), quotes (single or triple), escapes. */
function decodeString(text: string): { value: string; bytes: boolean } {
  const m = /^([A-Za-z]*)('''|"""|'|")/.exec(text);
  if (!m) return { value: text, bytes: false };
  const prefix = m[1].toLowerCase();
  const q = m[2];
  const body = text.endsWith(q) && text.length >= m[0].length + q.length ? text.slice(m[0].length, text.length - q.length) : text.slice(m[0].length);
  return { value: unescape(body, prefix.includes('r')), bytes: prefix.includes('b') };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

function unescape(s: string, raw: boolean): string {
  if (raw || !s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.|\n)/g, (all, e: string) => {
    if (e.length > 1 && (e[0] === 'x' || e[0] === 'u' || e[0] === 'U')) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ESCAPES[e] ?? all;
  });
}
