/**
 * A small HTTP app for tests, committed into fixture repositories. Its behaviour is read from
 * `app.json` next to it: { version, startDelayMs, ready, crashAtBoot, exitAfterMs }.
 * GET /healthz answers 200 when ready (503 otherwise), GET /slow?ms=N answers after N ms,
 * GET /pid answers the process id, GET /env?name=X the variable X, GET /sick makes /healthz fail from
 * then on (GET /sick?off=1 heals it), GET /hang makes /healthz never answer, GET /exit exits with
 * code 7 (a crash), GET /served the number of
 * version requests answered so far, GET /leak allocates 400 MB, GET /burn?ms=N keeps a core busy
 * N ms, anything else answers the version.
 */
export const SAMPLE_SERVER_JS = `
const http = require('http');
const cfg = JSON.parse(require('fs').readFileSync(__dirname + '/app.json', 'utf8'));
if (cfg.crashAtBoot) { console.error('boom: crashing at boot'); process.exit(3); }
let sick = false;
let hung = false;
let served = 0;
const hoard = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/healthz') { if (hung) return; const bad = cfg.ready === false || sick; res.statusCode = bad ? 503 : 200; return res.end(bad ? 'not ready' : 'ok'); }
  if (url.pathname === '/burn') { const end = Date.now() + Number(url.searchParams.get('ms') || 10); while (Date.now() < end); return res.end('burnt'); }
  if (url.pathname === '/sick') { sick = url.searchParams.get('off') !== '1'; return res.end(sick ? 'sick now' : 'well again'); }
  if (url.pathname === '/hang') { hung = true; return res.end('hanging'); }
  if (url.pathname === '/exit') { res.end('exiting'); return setTimeout(() => process.exit(7), 50); }
  if (url.pathname === '/served') return res.end(String(served));
  if (url.pathname === '/leak') { for (let i = 0; i < 40; i++) hoard.push(Buffer.alloc(10e6, 1)); return res.end('leaked'); }
  if (url.pathname === '/slow') { const ms = Number(url.searchParams.get('ms') || 1000); return setTimeout(() => res.end(cfg.version + ' slow'), ms); }
  if (url.pathname === '/pid') return res.end(String(process.pid));
  if (url.pathname === '/env') return res.end(String(process.env[url.searchParams.get('name')] ?? ''));
  if (url.pathname === '/headers') { res.setHeader('content-type', 'application/json'); return res.end(JSON.stringify(req.headers)); }
  served++;
  res.end(cfg.version);
});
setTimeout(() => server.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1', () => console.log('listening on ' + process.env.PORT + ' version ' + cfg.version)), cfg.startDelayMs || 0);
process.on('SIGTERM', () => { console.log('SIGTERM received, closing'); server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 5000).unref(); server.closeIdleConnections && server.closeIdleConnections(); });
if (cfg.exitAfterMs) setTimeout(() => process.exit(7), cfg.exitAfterMs);
`;

/** Options of the sample app's behaviour (written to app.json). */
export interface SampleAppConfig {
  version: string;
  startDelayMs?: number;
  ready?: boolean;
  crashAtBoot?: boolean;
  exitAfterMs?: number;
}

/** The files of a sample app commit: server.js, app.json and a wandol.yaml made from `yaml`. */
export function sampleAppFiles(config: SampleAppConfig, yaml: string): Record<string, string> {
  return { 'server.js': SAMPLE_SERVER_JS, 'app.json': JSON.stringify(config), 'wandol.yaml': yaml };
}

/**
 * A wandol.yaml for the sample app on the process runtime, with a dedicated route port. Top-level
 * keys given in `extra` replace the defaults of the same name.
 */
export function sampleWandolYaml(routePort: number, extra = ''): string {
  const defaults = [
    'runtime: process',
    'build: { command: "node -e 0" }',
    'run: { command: node server.js }',
    'probes:\n  readiness: { httpGet: { path: /healthz }, periodSeconds: 1, failureThreshold: 3 }',
    `route: { port: ${routePort} }`,
    'strategy: { scaleDownDelay: 1s, progressDeadline: 20s }',
    'drain: { timeout: 10s }',
    'terminationGracePeriod: 5s',
  ];
  const overridden = new Set(extra.split('\n').map((line) => /^([A-Za-z]+):/.exec(line)?.[1]));
  return [...defaults.filter((line) => !overridden.has(line.slice(0, line.indexOf(':')))), extra].join('\n');
}
