/** Where the analyzer reads other files from (the disk for the CLI, open documents in VS Code). */
export interface AnalyzerHost {
  readFile(file: string): string | undefined;
  /** Why `file` was not read although it may exist (outside the workspace, too large, a device…). */
  whyUnreadable?(file: string): string | undefined;
  /**
   * The workspace's script files, where the call sites of a builder may be (lang/ts/callSites.ts):
   * a bounded list, read through `readFile` like any import. Absent: only the file's own call sites count.
   */
  workspaceFiles?(): readonly string[];
}
