import { paramsText } from './format';
import type { DiagramEdge, DiagramGroup, DiagramNode } from './types';

/** Id of the group standing for a run of identical blocks: `r` + the first block's row. */
export const repeatId = (firstRow: number): string => `r${firstRow}`;

/**
 * The structure of a block, as a string two blocks share exactly when they are the same block
 * built again: the block's own type and parameter count, then every item inside it in
 * execution order (kind, type, hyper-parameters, parameter count, which item inside it is its
 * parent) and how each node is wired (its inputs as positions inside the block, `x` for a
 * tensor from outside). Names, lines and shapes are left out: `layers.0` and `layers.1` differ
 * only there.
 */
function signature(g: DiagramGroup, groups: ReadonlyMap<string, DiagramGroup>, nodes: ReadonlyMap<string, DiagramNode>, inputsOf: ReadonlyMap<string, DiagramEdge[]>): string {
  const members: string[] = [];
  const visit = (id: string) => {
    members.push(id);
    for (const c of groups.get(id)?.children ?? []) visit(c);
  };
  visit(g.id);
  const local = new Map(members.map((id, i) => [id, i]));
  const parts = [`${g.type}|${g.params}|${g.hyper ?? ''}`];
  for (const id of members.slice(1)) {
    const item = nodes.get(id) ?? groups.get(id)!;
    const kind = nodes.get(id)?.kind ?? 'group';
    const parent = item.parent !== undefined ? (local.get(item.parent) ?? 'x') : 'x';
    const wires = (inputsOf.get(id) ?? []).map((e) => local.get(e.source) ?? 'x').join(',');
    parts.push(`${kind}|${item.type}|${item.hyper ?? ''}|${item.params}|${nodes.get(id)?.reused ? 'r' : ''}|${parent}|${wires}`);
  }
  return parts.join('\n');
}

/**
 * Runs of identical blocks folded into one group each: the layers of a `TransformerEncoder`,
 * a ResNet stage's blocks after the first, a `ModuleList` of equal blocks. A run is two or
 * more consecutive sibling modules (same parent, one right after the other in execution
 * order) with the same structure (see `signature`). The new group (`r<row>`, `repeat: N`)
 * takes the run's place among its parent's children, its blocks become its children, and its
 * parameter count is the run's total (unknown if any block's is). Mutates `groups` (adds the
 * run groups, re-parents their blocks) and returns the run groups.
 */
export function foldRepeats(groups: DiagramGroup[], nodes: readonly DiagramNode[], edges: readonly DiagramEdge[]): DiagramGroup[] {
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const inputsOf = new Map<string, DiagramEdge[]>();
  for (const e of edges) inputsOf.set(e.target, [...(inputsOf.get(e.target) ?? []), e]);
  for (const list of inputsOf.values()) list.sort((a, b) => a.targetIndex - b.targetIndex);
  const sigs = new Map<string, string>();
  const sig = (g: DiagramGroup) => {
    if (!sigs.has(g.id)) sigs.set(g.id, signature(g, groupById, nodeById, inputsOf));
    return sigs.get(g.id)!;
  };

  // Sibling lists: every group's children, and the top level in execution (row) order.
  const rowOf = (id: string) => groupById.get(id)?.row ?? nodeById.get(id)?.row ?? Number.MAX_SAFE_INTEGER;
  const top = [...groups.filter((g) => !g.parent).map((g) => g.id), ...nodes.filter((n) => !n.parent && n.kind !== 'input' && n.kind !== 'output').map((n) => n.id)];
  top.sort((a, b) => rowOf(a) - rowOf(b));
  const lists: { parent: DiagramGroup | undefined; children: string[] }[] = [{ parent: undefined, children: top }, ...groups.map((g) => ({ parent: g, children: g.children }))];

  const made: DiagramGroup[] = [];
  for (const { parent, children } of lists) {
    const replaced: string[] = [];
    for (let i = 0; i < children.length; ) {
      const first = groupById.get(children[i]);
      let j = i + 1;
      if (first) while (j < children.length && groupById.has(children[j]) && sig(groupById.get(children[j])!) === sig(first)) j++;
      if (!first || j - i < 2) {
        replaced.push(children[i]);
        i++;
        continue;
      }
      const run = children.slice(i, j).map((id) => groupById.get(id)!);
      const last = run[run.length - 1];
      const total = run.some((g) => g.params === null) ? null : run.reduce((s, g) => s + (g.params ?? 0), 0);
      const group: DiagramGroup = {
        id: repeatId(first.row), row: first.row, type: first.type, name: `${first.name} … ${last.name}`,
        params: total, paramsText: paramsText(total), family: first.family, line: first.line,
        parent: parent?.id, shape: last.shape, children: run.map((g) => g.id), repeat: run.length,
        ...(first.file !== undefined ? { file: first.file } : {}),
      };
      for (const g of run) g.parent = group.id;
      made.push(group);
      replaced.push(group.id);
      i = j;
    }
    if (parent) parent.children = replaced;
  }
  // Each run group goes right before its first block: parents stay ahead of their children.
  for (const r of made) groups.splice(groups.findIndex((g) => g.id === r.children[0]), 0, r);
  return made;
}
