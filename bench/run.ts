// Runs the benchmarks named on the command line (default: all) and prints their figures, each as
// a table and one JSON line. Reference and wandol are always measured side by side in one run.
import { autoscaleBench } from './autoscale.js';
import { buildCacheBench } from './build-cache.js';
import { dockerPushToLiveBench } from './docker-push-to-live.js';
import { idleAgentBench } from './idle-agent.js';
import { metricsCostBench } from './metrics-cost.js';
import { pushToLive } from './push-to-live.js';
import { zeroDowntime } from './zero-downtime.js';

const BENCHES: Record<string, () => Promise<Record<string, number>>> = {
  'zero-downtime': () => zeroDowntime('blue-green'),
  'zero-downtime-rolling': () => zeroDowntime('rolling'),
  'push-to-live': () => pushToLive('api'),
  'webhook-to-live': () => pushToLive('webhook'),
  'build-cache': buildCacheBench,
  'docker-push-to-live': dockerPushToLiveBench,
  autoscale: autoscaleBench,
  idle: idleAgentBench,
  'metrics-cost': metricsCostBench,
  router: async () => {
    const { routerBench } = await import('./router-bench.js');
    return routerBench();
  },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}: one of ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const figures = await bench();
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(20)} ${value}`);
  console.log(JSON.stringify({ bench: name, ...figures }));
}
