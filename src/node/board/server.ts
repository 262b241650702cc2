// `neurite board`'s HTTP server (node:http, 127.0.0.1 only): the page, the runs as JSON, and a
// server-sent-event stream per run that follows its history file as it grows; tuning studies and their reports.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { boardPage } from './page.js';
import { type RunView, listRuns, readRun } from './run-reader.js';
import { listStudies, studyReportPath } from './study-reader.js';
import { existsSync, readFileSync } from 'node:fs';

/** Options of startBoard: the folder of runs, the port (0: a free one), how often a followed run is re-read. */
export interface BoardOptions { dir: string; port?: number; pollMs?: number }

/** A running board: its URL (ends with '/') and close(), which ends every open event stream too. */
export interface Board { url: string; close(): Promise<void> }

/** A run without its history and config: one row of the list. */
function listed(r: RunView): Omit<RunView, 'history' | 'config'> & { last?: RunView['history'][number] } {
  const { history, config: _config, ...rest } = r;
  return { ...rest, ...(history.length > 0 ? { last: history[history.length - 1]! } : {}) };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

/** The run named by a URL segment, only if it is one of the listed runs (never a path outside the folder). */
function runNamed(dir: string, segment: string): string | null {
  let name: string;
  try { name = decodeURIComponent(segment); } catch { return null; }
  return listRuns(dir).some((r) => r.name === name) ? name : null;
}

/** Streams `event: epoch` for each new epoch log and `event: status` when the status changes. */
function followRun(dir: string, name: string, from: number, req: IncomingMessage, res: ServerResponse, pollMs: number): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  let sent = from, status = '';
  const push = (): void => {
    const run = readRun(dir, name);
    // A resumed run rewrites its history from its checkpoint: start over when it shrinks.
    if (run.history.length < sent) { res.write(`event: reset\ndata: {}\n\n`); sent = 0; }
    for (const log of run.history.slice(sent)) res.write(`id: ${log.epoch}\nevent: epoch\ndata: ${JSON.stringify(log)}\n\n`);
    sent = run.history.length;
    const now = JSON.stringify({ status: run.status, reason: run.reason ?? null, epochs: run.epochs, metrics: run.metrics });
    if (now !== status) { res.write(`event: status\ndata: ${now}\n\n`); status = now; }
  };
  push();
  const timer = setInterval(push, pollMs);
  req.on('close', () => clearInterval(timer));
}

function handle(dir: string, pollMs: number, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (req.method !== 'GET') { sendJson(res, 405, { error: `${req.method} is not supported; the board is read-only` }); return; }
  if (url.pathname === '/') { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(boardPage()); return; }
  if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
  if (url.pathname === '/api/runs') { sendJson(res, 200, { dir, runs: listRuns(dir).map(listed) }); return; }
  if (url.pathname === '/api/studies') { sendJson(res, 200, { dir, studies: listStudies(dir) }); return; }
  if (parts[0] === 'studies') {
    const file = studyReportPath(dir, parts.slice(1));
    if (file === null || !existsSync(file)) { sendJson(res, 404, { error: `no study report ${url.pathname} in ${dir}` }); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(readFileSync(file));
    return;
  }
  if (parts[0] === 'api' && parts[1] === 'runs' && parts.length >= 3 && parts.length <= 4) {
    const name = runNamed(dir, parts[2]!);
    if (name === null) { sendJson(res, 404, { error: `no run ${JSON.stringify(parts[2])} in ${dir}` }); return; }
    if (parts.length === 3) { sendJson(res, 200, readRun(dir, name)); return; }
    if (parts[3] === 'events') { followRun(dir, name, Math.max(0, Number(url.searchParams.get('from')) || 0), req, res, pollMs); return; }
  }
  sendJson(res, 404, { error: `no such page: ${url.pathname}` });
}

/**
 * Starts the board over the run folders in `dir` on 127.0.0.1 (`port` 0: a free port).
 * @example const board = await startBoard({ dir: 'runs', port: 0 }); console.log(board.url); await board.close();
 */
export async function startBoard(opts: BoardOptions): Promise<Board> {
  const pollMs = opts.pollMs ?? 500;
  const server = createServer((req, res) => {
    try { handle(opts.dir, pollMs, req, res); } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { error: (e as Error).message });
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`board: cannot listen on 127.0.0.1:${opts.port ?? 0} (${e.code ?? e.message}); choose another --port, or 0 for a free one`)));
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
