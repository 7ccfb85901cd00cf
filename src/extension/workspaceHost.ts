import * as path from 'path';
import * as vscode from 'vscode';
import { findProjectRoot } from '../core/fileAccess';
import { docPath } from './documents';

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
 * Fetches the URIs the analysis worker could not read (remote and virtual workspaces) into `into` (absent or refused files are remembered as
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
