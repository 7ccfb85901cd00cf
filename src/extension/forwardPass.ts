import * as path from 'path';
import * as vscode from 'vscode';
import type { ModelSummary } from '../core/summary';
import { ForwardPassError, ForwardResult, formatBytes, runForwardPass } from '../runtime';
import { limitSetting, positiveOr } from './settings';
import { notificationText } from '../core/escape/plain';

/**
 * `ModelLens: Run Sample Forward Pass`: runs one seeded forward pass of an analyzed model in a
 * worker thread (wasm backend, files shipped in dist/wasm/), under a progress notification with
 * Cancel. Settings: `modellens.forwardPass.confirmAboveMB` (default 1024: ask first above it),
 * `modellens.forwardPass.timeoutSeconds` (default 60), `modellens.forwardPass.backend`
 * ('wasm' | 'cpu'), `modellens.forwardPass.seed` (0), and the existing
 * `modellens.defaultBatchSize` for tfjs models' unknown batch.
 */

export type ForwardPassOutcome = ForwardResult | { error: { code: string; message: string; layer?: string } };

export interface ForwardSettings {
  confirmAboveBytes: number;
  timeoutMs: number;
  backend: 'wasm' | 'cpu';
  seed: number;
  batch: number;
}

/** The forward-pass settings as this run uses them (exported for the Restricted Mode test). */
export function forwardSettings(scope?: vscode.ConfigurationScope): ForwardSettings {
  const c = vscode.workspace.getConfiguration('modellens', scope);
  // The limits are read as restricted settings: an untrusted workspace's own values don't count.
  const backend = limitSetting<string>(c, 'forwardPass.backend', 'wasm');
  const seed = c.get<number>('forwardPass.seed', 0);
  const batch = c.get<number>('defaultBatchSize', 1);
  return {
    confirmAboveBytes: positiveOr(limitSetting<number>(c, 'forwardPass.confirmAboveMB', 1024), 1024) * 1024 * 1024,
    timeoutMs: positiveOr(limitSetting<number>(c, 'forwardPass.timeoutSeconds', 60), 60) * 1000,
    backend: backend === 'cpu' ? 'cpu' : 'wasm',
    seed: Number.isInteger(seed) && seed >= 0 ? seed : 0,
    batch: Number.isInteger(batch) && batch > 0 ? batch : 1,
  };
}

/**
 * Runs the pass and returns its JSON result, or `{error}` when it did not run (the user has
 * been told why). `token` cancels as the notification's Cancel button does.
 */
export async function runForwardPassCommand(
  context: vscode.ExtensionContext,
  model: ModelSummary,
  document: vscode.TextDocument,
  token?: vscode.CancellationToken,
): Promise<ForwardPassOutcome> {
  const s = forwardSettings(document.uri);
  const dist = path.join(context.extensionPath, 'dist');
  const fail = (e: unknown): ForwardPassOutcome => {
    const err = e instanceof ForwardPassError ? e : new ForwardPassError('failed', String((e as Error)?.message ?? e));
    if (err.code === 'cancelled' || err.code === 'declined') void vscode.window.showInformationMessage(notificationText(`ModelLens: ${err.message}`));
    else void vscode.window.showErrorMessage(notificationText(`ModelLens: ${err.message}`));
    return { error: { code: err.code, message: err.message, ...(err.layer ? { layer: err.layer } : {}) } };
  };
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: notificationText(`ModelLens: forward pass of ${model.name}`), cancellable: true },
      async (progress, progressToken) => {
        const abort = new AbortController();
        const subs = [progressToken.onCancellationRequested(() => abort.abort()), token?.onCancellationRequested(() => abort.abort())];
        if (token?.isCancellationRequested) abort.abort();
        progress.report({ message: `building on ${s.backend}…` });
        try {
          const result = await runForwardPass(model, {
            backend: s.backend,
            seed: s.seed,
            batch: s.batch,
            timeoutMs: s.timeoutMs,
            confirmAboveBytes: s.confirmAboveBytes,
            signal: abort.signal,
            workerPath: path.join(dist, 'forward-worker.js'),
            wasmPath: path.join(dist, 'wasm'),
            onLargeModel: async (bytes, limit) => {
              const go = 'Run anyway';
              const pick = await vscode.window.showWarningMessage(
                notificationText(`${model.name} needs about ${formatBytes(bytes)} for a forward pass (limit ${formatBytes(limit)}).`),
                { modal: true },
                go,
              );
              return pick === go;
            },
          });
          const verdict = result.findings.length === 0 ? 'agrees with the static analysis' : `${result.findings.length} finding(s)`;
          void vscode.window.showInformationMessage(notificationText(`ModelLens: ${model.name} ran on ${result.backend} in ${result.ms.toFixed(1)} ms; ${verdict}.`));
          return result;
        } finally {
          for (const d of subs) d?.dispose();
        }
      },
    );
  } catch (e) {
    return fail(e);
  }
}
