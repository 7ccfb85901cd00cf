import * as path from 'path';
import * as vscode from 'vscode';
import type { AnalyzerHost } from '../core/analyzer/project';
import { PolicyHost, findProjectRoot } from '../core/fileAccess';
import { docPath, uriForPath } from './documents';

/**
 * The folders a document's imports may be read from: the workspace folders of its scheme, or,
 * for a file outside every folder, its nearest project root (package.json, tsconfig.json, .git…).
 */
export function importRoots(doc: vscode.Uri): string[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === doc.scheme && f.uri.authority === doc.authority).map((f) => docPath(f.uri));
  const p = docPath(doc);
  if (folders.some((f) => p === f || p.startsWith(f.endsWith(path.sep) ? f : f + path.sep))) return folders;
  return doc.scheme === 'file' ? [findProjectRoot(p)] : [path.dirname(p)];
}

/**
 * Where the analyzer reads imported files from inside VS Code: open documents first (their
 * unsaved text), then the disk for `file:` workspaces, only inside `importRoots` and under the
 * size limit (see core/fileAccess.ts). Other schemes (remote, virtual) can only
 * be read asynchronously through `vscode.workspace.fs`: the host notes what it missed, the
 * service fetches those files and analyzes again (see `prefetch`).
 */
export class WorkspaceHost implements AnalyzerHost {
  /** Every path the analyzer asked for: the analysis depends on these files. */
  readonly reads = new Set<string>();
  /** Non-file URIs read before they were fetched. */
  readonly missing: vscode.Uri[] = [];
  private readonly open = new Map<string, string>();
  private readonly disk: PolicyHost;

  constructor(
    private readonly origin: vscode.Uri,
    private readonly fetched: Map<string, string | undefined>,
    maxFileBytes: number,
  ) {
    this.disk = new PolicyHost({ roots: importRoots(origin), maxFileBytes });
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme === origin.scheme && d.uri.authority === origin.authority) this.open.set(docPath(d.uri), d.getText());
    }
  }

  readFile(p: string): string | undefined {
    this.reads.add(p);
    const open = this.open.get(p);
    // An open document is read as the editor shows it, under the same rules as the disk.
    if (open !== undefined && this.disk.allows(p) && Buffer.byteLength(open) <= this.disk.policy.maxFileBytes) return open;
    if (open !== undefined) return undefined;
    if (this.origin.scheme === 'file') return this.disk.readFile(p);
    if (this.origin.scheme === 'untitled') return undefined;
    const uri = uriForPath(this.origin, p);
    const key = uri.toString();
    if (this.fetched.has(key)) return this.fetched.get(key);
    if (!this.disk.allows(p)) return undefined;
    this.missing.push(uri);
    return undefined;
  }

  whyUnreadable(p: string): string | undefined {
    return this.disk.whyUnreadable(p);
  }
}

/**
 * Fetches the URIs a host missed into `into` (absent or refused files are remembered as
 * undefined): only files the provider calls files (not folders, devices or anything else), up to the size limit.
 */
export async function prefetch(uris: vscode.Uri[], into: Map<string, string | undefined>, maxFileBytes: number): Promise<void> {
  await Promise.all(
    uris.map(async (u) => {
      try {
        const st = await vscode.workspace.fs.stat(u);
        // `File | SymbolicLink` is a link to a file; any other type is refused, as is a large file.
        if ((st.type & ~vscode.FileType.SymbolicLink) !== vscode.FileType.File || st.size > maxFileBytes) throw new Error('refused');
        into.set(u.toString(), new TextDecoder().decode(await vscode.workspace.fs.readFile(u)));
      } catch {
        into.set(u.toString(), undefined);
      }
    }),
  );
}
