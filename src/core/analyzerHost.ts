/** Where the analyzer reads other files from (the disk for the CLI, open documents in VS Code). */
export interface AnalyzerHost {
  readFile(file: string): string | undefined;
  /** Why `file` was not read although it may exist (outside the workspace, too large, a device…). */
  whyUnreadable?(file: string): string | undefined;
}
