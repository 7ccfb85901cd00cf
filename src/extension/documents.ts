import * as vscode from 'vscode';

/**
 * Languages ModelLens reads (activation is on typescript, javascript and python; the JSX flavours
 * come along). `python` is VS Code's built-in language id (its grammar ships with VS Code), so
 * Python documents work with or without the Python extension; ModelLens's lenses, hovers and
 * quick fixes sit beside Pylance's, which contributes no CodeLens of its own.
 */
export const LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'python'];

/** Any scheme: files, untitled documents, remote and virtual workspaces. */
export const SELECTOR: vscode.DocumentSelector = LANGUAGES.map((language) => ({ language }));

export function isModelDocument(doc: vscode.TextDocument): boolean {
  return LANGUAGES.includes(doc.languageId);
}

/** Which front end reads the document: by its language, so an untitled Python document is Python too. */
export function frontEnd(doc: vscode.TextDocument): 'python' | 'typescript' {
  return doc.languageId === 'python' ? 'python' : 'typescript';
}

/** The path the analyzer sees for a document: the file system path for files, else the URI path. */
export function docPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.path;
}

/** The URI for a path the analyzer asks about, in the same scheme/authority as the document that imports it. */
export function uriForPath(origin: vscode.Uri, p: string): vscode.Uri {
  return origin.scheme === 'file' ? vscode.Uri.file(p) : origin.with({ path: p, query: '', fragment: '' });
}

export function sameResource(a: vscode.Uri, b: vscode.Uri): boolean {
  return a.toString() === b.toString();
}
