import * as vscode from 'vscode';
import { NUMBER_FORMATS, NumberFormat } from './numbers';

/** The `modellens.*` settings (declared in package.json), read with their defaults. */
export interface Settings {
  defaultBatchSize: number;
  layerLenses: boolean;
  numberFormat: NumberFormat;
}

export function settings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('modellens', scope);
  const batch = c.get<number>('defaultBatchSize', 1);
  const fmt = c.get<string>('numberFormat', 'commas');
  return {
    defaultBatchSize: Number.isInteger(batch) && batch > 0 ? batch : 1,
    layerLenses: c.get<boolean>('layerLenses', true),
    numberFormat: (NUMBER_FORMATS as readonly string[]).includes(fmt) ? (fmt as NumberFormat) : 'commas',
  };
}
