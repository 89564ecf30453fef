/**
 * The programs bench/router-bench.ts measures, as source text: the upstream, the reference proxies
 * (run with `node -e`, the port last on the command line) and nginx's config.
 */

/** The minimal upstream (one node process): answers `hello world` on 127.0.0.1:<argv[1]>. */
export const UPSTREAM_JS = `
const http = require('http');
const server = http.createServer((req, res) => { res.setHeader('content-type', 'text/plain'); res.end('hello world'); });
server.keepAliveTimeout = 120000;
server.listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

/** A plain node:http proxy (http.request + pipe, keep-alive agent): what Node gives without a lean hot path. */
export const NODE_HTTP_PROXY_JS = `
const http = require('http');
const [upstream, port] = process.argv.slice(1).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const server = http.createServer((req, res) => {
  const up = http.request({ host: '127.0.0.1', port: upstream, path: req.url, method: req.method, headers: req.headers, agent }, (r) => {
    res.writeHead(r.statusCode, r.headers); r.pipe(res);
  });
  up.on('error', () => { res.statusCode = 502; res.end(); });
  req.pipe(up);
});
server.keepAliveTimeout = 120000;
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

/**
 * The floor of any undici-based proxy in Node: node:http server + one undici Pool + a bare dispatch
 * handler (no balancing, retries, counters or header rules). argv: undici path, upstream port, port.
 */
export const BARE_UNDICI_PROXY_JS = `
const http = require('http');
const [undiciPath, upstream, port] = process.argv.slice(1);
const { Pool } = require(undiciPath);
const pool = new Pool('http://127.0.0.1:' + upstream, { connections: 512, headersTimeout: 0, bodyTimeout: 0 });
class Handler {
  constructor(res) { this.res = res; }
  onConnect() {}
  onHeaders(status, raw) {
    const h = [];
    for (let i = 0; i < raw.length; i += 2) { const n = raw[i].toString('latin1'); if (n.length !== 10) h.push(n, raw[i + 1].toString('latin1')); }
    this.res.writeHead(status, h); return true;
  }
  onData(chunk) { return this.res.write(chunk); }
  onComplete() { this.res.end(); }
  onError() { this.res.destroy(); }
}
const server = http.createServer((req, res) => pool.dispatch({ path: req.url, method: req.method, headers: req.rawHeaders, body: null }, new Handler(res)));
server.keepAliveTimeout = 120000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

/**
 * nginx.conf for one worker proxying 127.0.0.1:`port` to the upstream with keep-alive and the same
 * forwarded headers the router sets; all paths in `dir`.
 */
export function nginxConf(dir: string, port: number, upstreamPort: number): string {
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
    }
  }
}
`;
}
