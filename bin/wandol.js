#!/usr/bin/env node
// The `wandol` command: the compiled CLI does the work (built by `npm run build`, run by `npm ci`).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
