import * as vscode from 'vscode';
import { plainLines } from '../core/escape/plain';

/**
 * The ModelLens output channel. Failures are logged here, never shown as exception popups:
 * a provider that fails returns nothing and the editor carries on. Messages can quote the user's
 * code (an error naming a layer, a URI): control characters and bidi overrides are shown as
 * escapes (escape/plain.ts), line breaks kept for stack traces.
 */

let channel: vscode.LogOutputChannel | undefined;

export function initLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('ModelLens', { log: true });
  return channel;
}

export function logError(what: string, e: unknown): void {
  const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  initLog().error(plainLines(`${what}: ${msg}`));
}

export function logInfo(msg: string): void {
  initLog().info(plainLines(msg));
}

/** Runs `fn`, logging and swallowing any error (providers and event handlers). */
export async function guarded<T>(what: string, fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    logError(what, e);
    return undefined;
  }
}
