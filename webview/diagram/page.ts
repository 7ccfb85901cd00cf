/**
 * The diagram page's HTML, shared by the VS Code panel and the browser tests (which serve the
 * same page from localhost, under the same Content-Security-Policy). Pure string building.
 */
export interface PageResources {
  /** `webview.cspSource` (or the test server's origin). */
  cspSource: string;
  nonce: string;
  script: string;
  layoutScript: string;
  css: string;
  /** 'inline' forces layout on the page thread (the benchmark's comparison). */
  layout?: 'worker' | 'inline';
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function diagramCsp(r: Pick<PageResources, 'cspSource' | 'nonce'>): string {
  // No remote content. Scripts only with the nonce (the layout fallback script too); the worker
  // is started from a blob: URL made from the fetched layout script (`connect-src` for that fetch).
  return [
    `default-src 'none'`,
    `script-src 'nonce-${r.nonce}'`,
    `style-src ${r.cspSource} 'nonce-${r.nonce}'`,
    `img-src ${r.cspSource} data:`,
    `font-src ${r.cspSource}`,
    `connect-src ${r.cspSource}`,
    `worker-src ${r.cspSource} blob:`,
  ].join('; ');
}

export function diagramHtml(r: PageResources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(diagramCsp(r))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(r.css)}">
<title>ModelLens diagram</title>
</head>
<body>
<div id="app"><p class="status">Analyzing…</p></div>
<script nonce="${attr(r.nonce)}" src="${attr(r.script)}" data-layout-script="${attr(r.layoutScript)}" data-layout="${r.layout === 'inline' ? 'inline' : 'worker'}"></script>
</body>
</html>`;
}
