#!/usr/bin/env node
// `npm run example:push`: changes the example app's message, commits and pushes it, so that the
// running agent (`npm start`) deploys the new version with zero downtime. Plain JS: no build needed.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Found like the CLI finds it: WANDOL_DATA, else ./.wandol (--data DIR works too).
const flag = process.argv.indexOf('--data');
const dataDir = resolve(
  flag >= 0 && process.argv[flag + 1] ? process.argv[flag + 1] : process.env.WANDOL_DATA || '.wandol',
);
const clone = join(dataDir, 'example', 'hello');

if (!existsSync(join(clone, '.git'))) {
  console.error(
    `error: no example app under ${dataDir}: start it first with \`npm start\` (wandol up --example)`,
  );
  process.exit(1);
}

const git = (...args) =>
  execFileSync(
    'git',
    ['-C', clone, '-c', 'user.name=wandol example', '-c', 'user.email=example@wandol.invalid', ...args],
    {
      encoding: 'utf8',
    },
  ).trim();

const now = new Date();
const message = `Hello from wandol! Pushed at ${now.toLocaleTimeString()}`;
writeFileSync(join(clone, 'message.txt'), message + '\n');
git('add', 'message.txt');
git('commit', '-q', '-m', `example: ${message}`);
git('push', '-q', 'origin', 'HEAD:main');
const sha = git('rev-parse', 'HEAD');

const dataArg = flag >= 0 || process.env.WANDOL_DATA ? ` --data ${dataDir}` : '';
console.log(`pushed ${sha}: "${message}"`);
console.log(`watch it: node bin/wandol.js${dataArg} status hello`);
console.log(`then:     node bin/wandol.js${dataArg} history hello`);
