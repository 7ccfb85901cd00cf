import type { LayerEntry } from './types';
import { torchEntries } from './torch';
import { tfjsEntries } from './tfjs';

/** The catalog, indexed the ways the analyzer looks layers up. Built once at load. */
export const catalog = {
  torch: new Map<string, LayerEntry>(),
  tfjsByFactory: new Map<string, LayerEntry>(),
  tfjsByClassName: new Map<string, LayerEntry>(),
  all: [] as LayerEntry[],
};

for (const e of torchEntries) {
  if (catalog.torch.has(e.type)) throw new Error(`duplicate torch catalog entry ${e.type}`);
  catalog.torch.set(e.type, e);
  catalog.all.push(e);
}
for (const e of tfjsEntries) {
  if (!e.factory) throw new Error(`tfjs catalog entry ${e.type} has no factory`);
  if (catalog.tfjsByFactory.has(e.factory)) throw new Error(`duplicate tfjs catalog entry ${e.factory}`);
  catalog.tfjsByFactory.set(e.factory, e);
  if (!catalog.tfjsByClassName.has(e.type)) catalog.tfjsByClassName.set(e.type, e);
  catalog.all.push(e);
}

export type { LayerEntry } from './types';
