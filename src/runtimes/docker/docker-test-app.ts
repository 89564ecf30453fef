import { NODE_BASE_IMAGE } from './docker-test-engine.js';

/**
 * A small Node HTTP app built `FROM local/node-base:20`, for tests and benchmarks against the real
 * engine. It listens on $PORT on all interfaces inside the container (only the 127.0.0.1-published
 * port is ever requested) and answers GET / with its version and the version of its "dependency".
 * The Dockerfile installs the dependency in its own layer from package.json alone (a stand-in for
 * `npm ci`, taking `installMs`), so a change of app code only reuses that layer from the cache.
 */
export function dockerAppFiles(
  version: string,
  opts: { installMs?: number; depVersion?: string } = {},
): Record<string, string> {
  const installMs = opts.installMs ?? 0;
  const install = [
    `setTimeout(() => {`,
    `const fs = require('fs');`,
    `const v = require('./package.json').dependencies.dep;`,
    `fs.mkdirSync('node_modules/dep', { recursive: true });`,
    `fs.writeFileSync('node_modules/dep/index.js', 'module.exports = ' + JSON.stringify(v));`,
    `}, ${installMs});`,
  ].join(' ');
  return {
    'package.json': JSON.stringify({
      name: 'docker-app',
      private: true,
      dependencies: { dep: opts.depVersion ?? '1.0.0' },
    }),
    'server.js': SERVER_JS.replace('__VERSION__', version),
    Dockerfile: [
      `FROM ${NODE_BASE_IMAGE}`,
      'WORKDIR /app',
      'COPY package.json ./',
      `RUN ["node", "-e", ${JSON.stringify(install)}]`,
      'COPY . .',
      'EXPOSE 3000',
      'CMD ["node", "server.js"]',
      '',
    ].join('\n'),
    '.dockerignore': 'node_modules\n*.log\n',
  };
}

const SERVER_JS = `
const http = require('http');
const dep = require('dep');
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  res.end('__VERSION__ dep ' + dep);
});
server.listen(Number(process.env.PORT || 3000), '0.0.0.0', () => console.log('listening on ' + (process.env.PORT || 3000)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;
