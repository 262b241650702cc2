// The board page's script (plain browser JavaScript, inlined by page.ts): the run list with filters,
// curves of the selected runs overlaid as SVG, the side-by-side comparison, and live following over
// server-sent events. Kept free of template-literal syntax so it can sit inside one.
export const boardScript = String.raw`
'use strict';
var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
var state = { runs: [], details: {}, selected: new Set(), streams: {}, first: true };
var $ = function (id) { return document.getElementById(id); };
function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
function fmt(v) { return typeof v !== 'number' ? (v === null || v === undefined ? '—' : String(v)) : Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.001) ? v.toExponential(3) : String(Number(v.toPrecision(4))); }
function colorOf(name) { var i = state.runs.findIndex(function (r) { return r.name === name; }); return COLORS[(i < 0 ? 0 : i) % COLORS.length]; }
function getJson(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ': HTTP ' + r.status); return r.json(); }); }

function headline(r) {
  var last = r.last; if (!last) return null;
  if (last.valMetrics && typeof last.valMetrics.accuracy === 'number') return last.valMetrics.accuracy;
  if (typeof last.valLoss === 'number') return last.valLoss;
  return last.loss;
}
function visibleRuns() {
  var text = $('filter').value.trim().toLowerCase(), status = $('status-filter').value;
  return state.runs.filter(function (r) {
    return (!text || r.name.toLowerCase().indexOf(text) >= 0 || r.dataset.toLowerCase().indexOf(text) >= 0) && (!status || r.status === status);
  });
}
function renderList() {
  var rows = visibleRuns().map(function (r) {
    var checked = state.selected.has(r.name) ? ' checked' : '';
    var warn = r.warnings.length ? '<div class="warn">' + esc(r.warnings.join('; ')) + '</div>' : '';
    var reason = r.reason ? ' title="' + esc(r.reason) + '"' : '';
    return '<tr data-run="' + esc(r.name) + '"><td><input type="checkbox" class="pick"' + checked + '></td><td><span class="swatch" style="background:' + colorOf(r.name) + '"></span>' + esc(r.name) + warn + '</td>' +
      '<td>' + esc(r.dataset) + '</td><td><span class="badge s-' + r.status + '"' + reason + '>' + r.status + '</span></td>' +
      '<td class="num">' + r.epochs + (r.plannedEpochs ? '/' + r.plannedEpochs : '') + '</td><td class="num">' + fmt(headline(r)) + '</td></tr>';
  });
  document.querySelector('#runs tbody').innerHTML = rows.join('');
  $('empty').hidden = rows.length > 0;
}

function series(h, metric, split) {
  return h.map(function (e) {
    var v = split === 'train' ? (metric === 'loss' ? e.loss : e.metrics[metric]) : (metric === 'loss' ? e.valLoss : (e.valMetrics || {})[metric]);
    return [e.epoch, v];
  }).filter(function (p) { return typeof p[1] === 'number' && isFinite(p[1]); });
}
function niceTicks(lo, hi, n) {
  if (!(hi > lo)) { hi = lo + 1; }
  var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n))), err = (hi - lo) / n / step;
  step *= err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
  var out = []; for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}
function selectedDetails() { return Array.from(state.selected).map(function (n) { return state.details[n]; }).filter(Boolean); }
function renderMetricChoice() {
  var keys = ['loss'];
  selectedDetails().forEach(function (d) { d.history.forEach(function (e) { Object.keys(e.metrics).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); }); });
  var sel = $('metric'), current = sel.value || 'loss';
  sel.innerHTML = keys.map(function (k) { return '<option' + (k === current ? ' selected' : '') + '>' + esc(k) + '</option>'; }).join('');
}
function renderChart() {
  var metric = $('metric').value || 'loss', logy = $('logy').checked, W = 760, H = 320, L = 56, R = 12, T = 10, B = 34;
  var lines = [];
  selectedDetails().forEach(function (d) {
    ['train', 'validation'].forEach(function (split) {
      var pts = series(d.history, metric, split).filter(function (p) { return !logy || p[1] > 0; });
      if (pts.length) lines.push({ run: d.name, split: split, pts: pts });
    });
  });
  if (!lines.length) { $('chart').innerHTML = '<p class="muted">Select runs on the left to plot their ' + esc(metric) + '.</p>'; $('legend').innerHTML = ''; return; }
  var all = [].concat.apply([], lines.map(function (l) { return l.pts; }));
  var xmax = Math.max.apply(null, all.map(function (p) { return p[0]; })), xmin = 1;
  var ys = all.map(function (p) { return logy ? Math.log10(p[1]) : p[1]; });
  var ylo = Math.min.apply(null, ys), yhi = Math.max.apply(null, ys); if (ylo === yhi) { ylo -= 0.5; yhi += 0.5; }
  var X = function (x) { return L + (xmax === xmin ? 0.5 : (x - xmin) / (xmax - xmin)) * (W - L - R); };
  var Y = function (y) { return T + (1 - (y - ylo) / (yhi - ylo)) * (H - T - B); };
  var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(metric) + ' per epoch">';
  var yt = logy ? niceTicks(Math.floor(ylo), Math.ceil(yhi), 4).filter(function (t) { return t === Math.round(t) && t >= ylo - 1e-9 && t <= yhi + 1e-9; }) : niceTicks(ylo, yhi, 5).filter(function (t) { return t >= ylo - 1e-9 && t <= yhi + 1e-9; });
  yt.forEach(function (t) { svg += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + Y(t) + '" y2="' + Y(t) + '"/><text class="ytick" x="' + (L - 6) + '" y="' + (Y(t) + 4) + '" text-anchor="end">' + (logy ? '1e' + t : fmt(t)) + '</text>'; });
  niceTicks(xmin, xmax, 8).filter(function (t) { return t === Math.round(t) && t >= xmin; }).forEach(function (t) { svg += '<text class="xtick" x="' + X(t) + '" y="' + (H - B + 16) + '" text-anchor="middle">' + t + '</text>'; });
  svg += '<line class="axis" x1="' + L + '" x2="' + (W - R) + '" y1="' + (H - B) + '" y2="' + (H - B) + '"/><line class="axis" x1="' + L + '" x2="' + L + '" y1="' + T + '" y2="' + (H - B) + '"/>';
  svg += '<text x="' + ((L + W - R) / 2) + '" y="' + (H - 4) + '" text-anchor="middle">epoch</text>';
  lines.forEach(function (l) {
    var d = l.pts.map(function (p, i) { return (i ? 'L' : 'M') + X(p[0]).toFixed(1) + ',' + Y(logy ? Math.log10(p[1]) : p[1]).toFixed(1); }).join('');
    svg += '<path class="curve" data-run="' + esc(l.run) + '" data-split="' + l.split + '" data-points="' + l.pts.length + '" d="' + d + '" fill="none" stroke="' + colorOf(l.run) + '" stroke-width="1.8"' + (l.split === 'validation' ? ' stroke-dasharray="5,3"' : '') + '/>';
  });
  $('chart').innerHTML = svg + '</svg>';
  $('legend').innerHTML = selectedDetails().map(function (d) { return '<span data-run="' + esc(d.name) + '"><span class="swatch" style="background:' + colorOf(d.name) + '"></span>' + esc(d.name) + (d.status === 'training' ? ' (live)' : '') + '</span>'; }).join('');
}

function flatten(v, path, out) {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) { Object.keys(v).forEach(function (k) { flatten(v[k], path ? path + '.' + k : k, out); }); return out; }
  out[path] = JSON.stringify(v); return out;
}
function renderCompare() {
  var runs = selectedDetails(), onlyDiff = $('only-diff').checked;
  var cols = runs.map(function (d) {
    var f = flatten(d.config || {}, '', {});
    f['status'] = JSON.stringify(d.status); f['epochs'] = String(d.history.length);
    Object.keys(d.metrics || {}).forEach(function (split) { Object.keys(d.metrics[split]).forEach(function (k) { f['metrics.' + split + '.' + k] = fmt(d.metrics[split][k]); }); });
    return f;
  });
  var keys = [];
  cols.forEach(function (c) { Object.keys(c).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
  var head = '<tr><th>key</th>' + runs.map(function (d) { return '<th data-run="' + esc(d.name) + '"><span class="swatch" style="background:' + colorOf(d.name) + '"></span>' + esc(d.name) + '</th>'; }).join('') + '</tr>';
  var body = keys.map(function (k) {
    var vals = cols.map(function (c) { return k in c ? c[k] : '—'; });
    var differs = runs.length > 1 && vals.some(function (v) { return v !== vals[0]; });
    if (onlyDiff && !differs) return '';
    return '<tr data-key="' + esc(k) + '"' + (differs ? ' class="differs"' : '') + '><th>' + esc(k) + '</th>' + vals.map(function (v) { return '<td>' + esc(v) + '</td>'; }).join('') + '</tr>';
  }).join('');
  document.querySelector('#compare-table thead').innerHTML = runs.length ? head : '';
  document.querySelector('#compare-table tbody').innerHTML = runs.length ? body : '<tr><td class="muted">Select runs to compare their configs and metrics.</td></tr>';
}
function renderAll() { renderList(); renderMetricChoice(); renderChart(); renderCompare(); }

function follow(name) {
  var d = state.details[name];
  if (state.streams[name] || !d || d.status !== 'training') return;
  var es = new EventSource('api/runs/' + encodeURIComponent(name) + '/events?from=' + d.history.length);
  state.streams[name] = es;
  es.addEventListener('epoch', function (ev) {
    var log = JSON.parse(ev.data), h = state.details[name].history;
    if (!h.length || log.epoch > h[h.length - 1].epoch) { h.push(log); setListed(name, { epochs: h.length, last: log }); renderAll(); }
  });
  es.addEventListener('reset', function () { state.details[name].history = []; });
  es.addEventListener('status', function (ev) {
    var s = JSON.parse(ev.data);
    setListed(name, { status: s.status, reason: s.reason || undefined });
    if (s.status !== 'training') { es.close(); delete state.streams[name]; loadDetail(name).then(renderAll); } else renderAll();
  });
  updateLiveNote();
}
function unfollow(name) { if (state.streams[name]) { state.streams[name].close(); delete state.streams[name]; updateLiveNote(); } }
function updateLiveNote() { var n = Object.keys(state.streams).length; $('live-note').textContent = n ? 'following ' + n + ' run' + (n > 1 ? 's' : '') + ' live' : ''; }
function setListed(name, patch) {
  var r = state.runs.find(function (x) { return x.name === name; }); if (r) Object.assign(r, patch);
  if (state.details[name]) Object.assign(state.details[name], patch.status ? { status: patch.status } : {});
}
function loadDetail(name) { return getJson('api/runs/' + encodeURIComponent(name)).then(function (d) { state.details[name] = d; follow(name); }); }
function renderStudies(j) {
  var rows = j.studies.map(function (s) {
    var c = s.counts, trials = c ? (c.complete + ' complete, ' + c.pruned + ' pruned, ' + c.failed + ' failed' + (c.running ? ', ' + c.running + ' running' : '')) : '—';
    var best = s.best ? fmt(s.best.value) + ' (trial ' + s.best.number + ')' : '—';
    var link = s.report ? '<a target="_blank" href="studies/' + encodeURIComponent(s.folder) + '/report.html">report</a>' : '';
    var warn = s.warnings.length ? '<div class="warn">' + esc(s.warnings.join('; ')) + '</div>' : '';
    return '<tr data-study="' + esc(s.folder) + '"><td>' + esc(s.name) + warn + '</td><td>' + esc(s.metric) + '</td><td class="num">' + trials + '</td><td>' + best + '</td><td>' + link + '</td></tr>';
  });
  document.querySelector('#studies-table tbody').innerHTML = rows.join('');
  $('studies-table').hidden = rows.length === 0;
  $('no-studies').hidden = rows.length > 0;
}
function refresh() {
  getJson('api/studies').then(renderStudies).catch(function (e) { $('no-studies').hidden = false; $('no-studies').textContent = 'studies: ' + e.message; });
  return getJson('api/runs').then(function (j) {
    $('dir').textContent = j.dir;
    state.runs = j.runs;
    if (state.first) { j.runs.slice(0, 8).forEach(function (r) { state.selected.add(r.name); }); state.first = false; }
    var names = j.runs.map(function (r) { return r.name; });
    Array.from(state.selected).forEach(function (n) { if (names.indexOf(n) < 0) { state.selected.delete(n); unfollow(n); } });
    var need = Array.from(state.selected).filter(function (n) { var d = state.details[n], r = j.runs.find(function (x) { return x.name === n; }); return !d || (!state.streams[n] && r && (r.status !== d.status || r.epochs !== d.history.length)); });
    return Promise.all(need.map(loadDetail));
  }).then(renderAll).catch(function (e) { $('live-note').textContent = 'board: ' + e.message; });
}
document.addEventListener('change', function (ev) {
  var t = ev.target;
  if (t.classList && t.classList.contains('pick')) {
    var name = t.closest('tr').getAttribute('data-run');
    if (t.checked) { state.selected.add(name); loadDetail(name).then(renderAll); } else { state.selected.delete(name); unfollow(name); renderAll(); }
  } else if (t.id === 'metric' || t.id === 'logy') renderChart();
  else if (t.id === 'only-diff') renderCompare();
  else if (t.id === 'status-filter') renderList();
});
$('filter').addEventListener('input', renderList);
refresh().then(function () { document.body.setAttribute('data-ready', '1'); });
setInterval(refresh, 3000);
`;
