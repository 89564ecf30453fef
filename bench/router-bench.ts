/**
 * Router throughput next to nginx, measured side by side in one run with wrk on 127.0.0.1:
 * (a) direct to a minimal node upstream, (b) through nginx (1 worker, upstream keepalive),
 * (c) through the wandol Router in its own child process, and for reference (d) a plain node:http
 * proxy and (e) a bare undici proxy with no features (the floor of the router's design in Node).
 * Prints a table and one JSON line with the ratios router/nginx, router/direct and router/bareUndici
 * (req/s), and the CPU each proxy spends per request (from /proc, Linux only).
 * By hand: `npm run build && node dist/bench/router-bench.js [--duration 5] [--connections 32]
 * [--rounds 2]` (or `--rounds=2`); also `routerBench()` for bench/run.ts. Exits 2 when wrk or nginx
 * is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from '../test/support/free-port.js';
import * as programs from './router-bench-programs.js';
import * as tools from './router-bench-tools.js';
import type { WrkResult } from './router-bench-tools.js';

const NGINX = '/usr/sbin/nginx';
const HERE = dirname(fileURLToPath(import.meta.url));
const MISSING = 'wrk and nginx are needed: apt-get install -y wrk nginx-light';

/** One measured target: where wrk sends load and which processes do the proxying (for CPU per request). */
interface Subject {
  url: string;
  pids: () => number[];
}

/** A wrk result plus the CPU time the proxying processes spent per request (µs). */
type Measured = WrkResult & { cpuUsPerReq: number };

async function measure(
  subjects: Record<string, Subject>,
  seconds: number,
  connections: number,
  rounds: number,
) {
  const best: Record<string, Measured> = {};
  for (const s of Object.values(subjects)) await tools.wrk(s.url, 1, connections); // warm-up: JIT, pools
  for (let round = 0; round < rounds; round++) {
    for (const [name, s] of Object.entries(subjects)) {
      const cpuBefore = tools.cpuMs(s.pids());
      const r = await tools.wrk(s.url, seconds, connections);
      const cpuUsPerReq = ((tools.cpuMs(s.pids()) - cpuBefore) * 1000) / (r.rps * seconds);
      const previous = best[name];
      if (previous === undefined || r.rps > previous.rps) best[name] = { ...r, cpuUsPerReq };
    }
  }
  return best;
}

function figures(results: Record<string, Measured>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, r] of Object.entries(results)) {
    out[`${name}Rps`] = Math.round(r.rps);
    out[`${name}P50Ms`] = r.p50Ms;
    out[`${name}P99Ms`] = r.p99Ms;
    out[`${name}CpuUsPerReq`] = Number(r.cpuUsPerReq.toFixed(1));
  }
  const rps = (name: string): number => results[name]?.rps ?? NaN;
  out['routerVsNginx'] = Number((rps('router') / rps('nginx')).toFixed(3));
  out['routerVsDirect'] = Number((rps('router') / rps('direct')).toFixed(3));
  out['routerVsBareUndici'] = Number((rps('router') / rps('bareUndici')).toFixed(3));
  // CPU spent per request, router over nginx: steadier than req/s on a machine shared with other work.
  const cpu = (name: string): number => results[name]?.cpuUsPerReq ?? NaN;
  out['routerCpuPerReqVsNginx'] = Number((cpu('router') / cpu('nginx')).toFixed(2));
  return out;
}

function printTable(results: Record<string, Measured>, f: Record<string, number>, title: string): void {
  console.log(title);
  console.log('target       req/s   p50 ms   p99 ms   CPU µs/req (proxy; upstream for direct)');
  for (const [name, r] of Object.entries(results)) {
    const cells = [
      r.rps.toFixed(0).padStart(8),
      r.p50Ms.toFixed(2).padStart(7),
      r.p99Ms.toFixed(2).padStart(7),
    ];
    console.log(`${name.padEnd(10)} ${cells.join('  ')}   ${r.cpuUsPerReq.toFixed(1).padStart(8)}`);
  }
  const ratios = ['Nginx', 'Direct', 'BareUndici'].map(
    (n) => `router/${n[0]?.toLowerCase()}${n.slice(1)} = ${f[`routerVs${n}`]}x`,
  );
  console.log(`${ratios.join('   ')}   CPU per request router/nginx = ${f['routerCpuPerReqVsNginx']}x`);
}

/** Starts `node -e script ...args PORT` on a free port; resolves once it printed its first line. */
async function nodeChild(children: ChildProcess[], script: string, ...args: string[]) {
  const port = await freePort();
  const { child } = await tools.startChild(process.execPath, ['-e', script, ...args, String(port)]);
  children.push(child);
  return { child, port };
}

function startNginx(dir: string, upstreamPort: number, port: number, children: ChildProcess[]): ChildProcess {
  writeFileSync(join(dir, 'nginx.conf'), programs.nginxConf(dir, port, upstreamPort));
  const args = ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log'), '-g', 'daemon off;'];
  const nginx = spawn(NGINX, args, { stdio: 'inherit' });
  children.push(nginx);
  return nginx;
}

async function startAll(dir: string, children: ChildProcess[]): Promise<Record<string, Subject>> {
  const upstream = await nodeChild(children, programs.UPSTREAM_JS);
  const up = String(upstream.port);
  const nginxPort = await freePort();
  const nginx = startNginx(dir, upstream.port, nginxPort, children);
  const routerServer = join(HERE, 'router-bench-server.js');
  const router = await tools.startChild(process.execPath, [routerServer, up]);
  children.push(router.child);
  const routerPort = (JSON.parse(router.line) as { port: number }).port;
  const plain = await nodeChild(children, programs.NODE_HTTP_PROXY_JS, up);
  const bare = await nodeChild(
    children,
    programs.BARE_UNDICI_PROXY_JS,
    createRequire(import.meta.url).resolve('undici'),
    up,
  );
  const ports = [upstream.port, nginxPort, routerPort, plain.port, bare.port];
  await Promise.all(ports.map((p) => tools.waitForPort(p)));
  const url = (port: number): string => `http://127.0.0.1:${port}/`;
  const own = (child: ChildProcess) => (): number[] => (child.pid === undefined ? [] : [child.pid]);
  return {
    direct: { url: url(upstream.port), pids: own(upstream.child) },
    nginx: { url: url(nginxPort), pids: () => [...own(nginx)(), ...tools.childPids(nginx.pid ?? -1)] },
    router: { url: url(routerPort), pids: own(router.child) },
    nodeHttp: { url: url(plain.port), pids: own(plain.child) },
    bareUndici: { url: url(bare.port), pids: own(bare.child) },
  };
}

/** Runs the benchmark and returns its figures; prints the table. Sets exit code 2 when wrk or nginx is missing. */
export async function routerBench(): Promise<Record<string, number>> {
  if (!tools.onPath('wrk') || !existsSync(NGINX)) {
    console.error(MISSING);
    process.exitCode = 2;
    return {};
  }
  const [seconds, connections, rounds] = [
    tools.option('duration', 5),
    tools.option('connections', 32),
    tools.option('rounds', 2),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'wandol-bench-'));
  const children: ChildProcess[] = [];
  try {
    const results = await measure(await startAll(dir, children), seconds, connections, rounds);
    const f = figures(results);
    printTable(results, f, `wrk -t1 -c${connections} -d${seconds}s on 127.0.0.1, best of ${rounds} round(s)`);
    return f;
  } finally {
    await tools.stopChildren(children);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!tools.onPath('wrk') || !existsSync(NGINX)) {
    console.error(MISSING);
    process.exit(2);
  }
  routerBench()
    .then((f) => console.log(JSON.stringify({ bench: 'router', ...f })))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
