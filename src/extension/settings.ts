import * as vscode from 'vscode';
import { NUMBER_FORMATS, NumberFormat } from './numbers';
import type { RestrictedSetting } from './restricted';

/** Kept in step with src/core/fileAccess.ts's DEFAULT_MAX_FILE_KB (not imported: activation loads no core). */
export const DEFAULT_MAX_FILE_KB = 1024;

export function positiveOr(v: unknown, d: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d;
}

/** The `modellens.*` settings (declared in package.json), read with their defaults. */
export interface Settings {
  defaultBatchSize: number;
  layerLenses: boolean;
  /** Lenses also above layers with no parameters (ReLU, Dropout, pooling); off by default. */
  parameterFreeLayerLenses: boolean;
  numberFormat: NumberFormat;
  /** Files (and each import) larger than this are not analyzed. */
  maxFileBytes: number;
}

/**
 * A restricted setting's value (see restricted.ts): when the workspace is untrusted, the user's
 * own value or the default, never the workspace's or a folder's.
 */
export function limitSetting<T>(c: vscode.WorkspaceConfiguration, key: RestrictedSetting, fallback: T): T {
  if (vscode.workspace.isTrusted) return c.get<T>(key, fallback);
  const i = c.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}

export function settings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('modellens', scope);
  const batch = c.get<number>('defaultBatchSize', 1);
  const fmt = c.get<string>('numberFormat', 'commas');
  return {
    defaultBatchSize: Number.isInteger(batch) && batch > 0 ? batch : 1,
    layerLenses: c.get<boolean>('layerLenses', true),
    parameterFreeLayerLenses: c.get<boolean>('parameterFreeLayerLenses', false),
    numberFormat: (NUMBER_FORMATS as readonly string[]).includes(fmt) ? (fmt as NumberFormat) : 'commas',
    maxFileBytes: positiveOr(limitSetting<number>(c, 'maxFileSizeKB', DEFAULT_MAX_FILE_KB), DEFAULT_MAX_FILE_KB) * 1024,
  };
}
