// The page `neurite board` serves: one self-contained HTML file (inline CSS and script, no network
// but its own /api routes). The script is in board-script.ts.
import { boardScript } from './board-script.js';

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px system-ui,sans-serif;color:#222;background:#fafafa}
header{padding:10px 16px;background:#1d3557;color:#fff;display:flex;gap:16px;align-items:baseline}
header h1{font-size:18px;margin:0}header .dir{opacity:.8;font-family:monospace}
.layout{display:grid;grid-template-columns:minmax(360px,34%) 1fr;gap:12px;padding:12px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 12px;margin-bottom:12px}
h2{font-size:15px;margin:0 0 8px}.controls{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin-bottom:8px}
input[type=search]{flex:1;min-width:140px;padding:4px 6px}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #eee;vertical-align:top}th{font-weight:600;background:#f4f4f4}
td.num{text-align:right;font-variant-numeric:tabular-nums}.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;color:#fff}
.s-training{background:#2a9d8f}.s-done{background:#457b9d}.s-diverged{background:#e76f51}.s-failed{background:#9b2226}
tr.differs td{background:#fff3bf}#compare-table td{font-family:monospace;font-size:12px;word-break:break-all}
.swatch{display:inline-block;width:18px;height:3px;vertical-align:middle;margin-right:4px}
#legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin-top:4px}.muted{color:#777}.warn{color:#9b2226;font-size:12px}
svg text{font-size:11px;fill:#444}svg .grid{stroke:#eee}svg .axis{stroke:#999}
`;

/**
 * The board's HTML page (everything inline; it reads /api/runs and follows runs over /api/runs/NAME/events).
 * @example res.end(boardPage());
 */
export function boardPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>neurite board</title><style>${CSS}</style></head>
<body>
<header><h1>neurite board</h1><span class="dir" id="dir"></span><span id="live-note" class="muted"></span></header>
<div class="layout">
<div>
<section id="runs-section"><h2>Runs</h2>
<div class="controls"><input type="search" id="filter" placeholder="filter by name or data set">
<select id="status-filter"><option value="">any status</option><option>training</option><option>done</option><option>diverged</option><option>failed</option></select></div>
<table id="runs"><thead><tr><th></th><th>run</th><th>data</th><th>status</th><th class="num">epochs</th><th class="num" title="last validation accuracy, else validation loss, else training loss">last val</th></tr></thead><tbody></tbody></table>
<p id="empty" class="muted" hidden>No runs match. Runs are the folders with a config.json written by neurite train.</p>
</section>
<section id="studies"><h2>Tuning studies</h2>
<table id="studies-table"><thead><tr><th>study</th><th>metric</th><th class="num">trials</th><th>best</th><th></th></tr></thead><tbody></tbody></table>
<p id="no-studies" class="muted" hidden>No studies here. <code>neurite tune</code> writes study folders (with a study.json); point --dir at one, or at the folder holding them.</p></section>
</div>
<div>
<section id="curves"><h2>Curves</h2>
<div class="controls"><label>quantity <select id="metric"></select></label><label><input type="checkbox" id="logy"> log scale</label>
<span class="muted">solid: training, dashed: validation</span></div>
<div id="chart"></div><div id="legend"></div></section>
<section id="compare"><h2>Compare</h2>
<div class="controls"><label><input type="checkbox" id="only-diff"> only keys that differ</label><span class="muted">highlighted: the selected runs differ</span></div>
<table id="compare-table"><thead></thead><tbody></tbody></table></section>
</div>
</div>
<script>${boardScript}</script>
</body></html>
`;
}
