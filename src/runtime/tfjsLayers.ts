import * as tf from '@tensorflow/tfjs';
import { catalog } from '../core/catalog';

/**
 * tfjs rows → the same `tf.layers` factory with the row's config: the catalog's className maps
 * 1:1 to a factory. Nested layers (`bidirectional({layer})`, `timeDistributed`) are built the
 * same way. Nothing of the user's code runs: only catalog factories are called.
 */

type Config = Record<string, unknown>;

/** Config keys that only matter to Sequential's first layer; the runtime builds with tf.input. */
const DROP = new Set(['inputShape', 'batchInputShape', 'batchSize', 'inputDType']);

function isNested(v: unknown): v is { layer: { type: string; framework: string; args: Config } } {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'layer' in (v as object) && typeof (v as { layer: { type?: unknown } }).layer?.type === 'string';
}

function toConfig(args: Config): Config {
  const out: Config = {};
  for (const [k, v] of Object.entries(args)) {
    if (DROP.has(k) || v === null || v === undefined) continue;
    // A list of nested layers (rnn's cells, stackedRNNCells' cells) is built item by item.
    const one = (x: unknown): unknown => (isNested(x) ? buildTfjsLayer(x.layer.type, x.layer.args, undefined) : Array.isArray(x) && x.some(isNested) ? x.map(one) : x);
    out[k] = one(v);
  }
  return out;
}

type Factory = (config: Config) => tf.layers.Layer;

export function buildTfjsLayer(type: string, args: Config, name: string | undefined): tf.layers.Layer {
  const entry = catalog.tfjsByClassName.get(type);
  if (!entry?.factory) throw new Error(`no tf.layers factory for ${type}`);
  const factory = (tf.layers as unknown as Record<string, Factory>)[entry.factory];
  if (typeof factory !== 'function') throw new Error(`tf.layers.${entry.factory} does not exist in this tfjs`);
  const config = toConfig(args);
  if (name && config.name === undefined) config.name = name;
  return factory(config);
}
