import * as fs from 'fs';
import * as vscode from 'vscode';
import type { AnalyzerHost } from '../core/analyzer/project';
import { docPath, uriForPath } from './documents';

/**
 * Where the analyzer reads imported files from inside VS Code: open documents first (their
 * unsaved text), then the disk for `file:` workspaces. Other schemes (remote, virtual) can only
 * be read asynchronously through `vscode.workspace.fs`: the host notes what it missed, the
 * service fetches those files and analyzes again (see `prefetch`).
 */
export class WorkspaceHost implements AnalyzerHost {
  /** Every path the analyzer asked for: the analysis depends on these files. */
  readonly reads = new Set<string>();
  /** Non-file URIs read before they were fetched. */
  readonly missing: vscode.Uri[] = [];
  private readonly open = new Map<string, string>();

  constructor(
    private readonly origin: vscode.Uri,
    private readonly fetched: Map<string, string | undefined>,
  ) {
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme === origin.scheme && d.uri.authority === origin.authority) this.open.set(docPath(d.uri), d.getText());
    }
  }

  readFile(p: string): string | undefined {
    this.reads.add(p);
    const open = this.open.get(p);
    if (open !== undefined) return open;
    if (this.origin.scheme === 'file') {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    }
    if (this.origin.scheme === 'untitled') return undefined;
    const uri = uriForPath(this.origin, p);
    const key = uri.toString();
    if (this.fetched.has(key)) return this.fetched.get(key);
    this.missing.push(uri);
    return undefined;
  }
}

/** Fetches the URIs a host missed into `into` (absent files are remembered as undefined). */
export async function prefetch(uris: vscode.Uri[], into: Map<string, string | undefined>): Promise<void> {
  await Promise.all(
    uris.map(async (u) => {
      try {
        into.set(u.toString(), new TextDecoder().decode(await vscode.workspace.fs.readFile(u)));
      } catch {
        into.set(u.toString(), undefined);
      }
    }),
  );
}
