// The wandol example app: a dependency-free web server. wandol starts it with PORT set and routes
// traffic to it; each release runs from its own checkout, so message.txt is that commit's message.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setTimeout } from 'node:timers';

const port = Number(process.env.PORT || 3000);
const revision = process.env.WANDOL_REVISION || 'unknown';
const message = readFileSync(new URL('message.txt', import.meta.url), 'utf8').trim();
const startedAt = new Date().toISOString();

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>hello from wandol</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}
code{background:#eee;padding:0 .3em}small{color:#666}</style></head>
<body>
<h1>${escape(message)}</h1>
<p>Revision <code>${escape(revision.slice(0, 7))}</code>, pid ${process.pid}, started ${startedAt}.</p>
<p><small>Push a change with <code>npm run example:push</code> and reload: no request fails during the switch.</small></p>
</body>
</html>
`;

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
});

server.listen(port, '127.0.0.1', () =>
  console.log(`hello listening on 127.0.0.1:${port}, revision ${revision}`),
);

// wandol sends SIGTERM once no new request comes: finish the ones in flight, then exit.
process.on('SIGTERM', () => {
  console.log('SIGTERM: closing');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});
