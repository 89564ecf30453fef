import { createHash } from 'node:crypto';
import type { RuntimeKind } from '../config/app-spec.js';
import type { DataLayout } from '../core/data-layout.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { dockerBuilder } from '../build/docker-build.js';
import { DockerRuntime } from '../runtimes/docker/docker-runtime.js';
import { dockerEngine } from '../runtimes/docker/docker-engine.js';
import type { Runtime } from '../runtimes/runtime.js';
import type { BuildPort } from '../sync/ports.js';
import type { sourcePorts } from './ports-adapters.js';

/**
 * The runtimes and build ports by kind: `process` always; `docker` made on first use, so that an
 * agent whose apps all run as processes never needs a Docker engine. Containers are scoped to this
 * data dir, so two wandol agents can share one engine.
 */
export function runtimeRegistry(opts: {
  layout: DataLayout;
  processRuntime: Runtime;
  processBuild: BuildPort;
  sources: ReturnType<typeof sourcePorts>;
  logger: Logger;
}): { runtimeFor(kind: RuntimeKind): Runtime; builder: BuildPort; close(): Promise<void> } {
  let docker: { runtime: DockerRuntime; build: BuildPort } | undefined;
  const dockerParts = (): { runtime: DockerRuntime; build: BuildPort } => {
    if (docker) return docker;
    const engine = dockerEngine();
    const scope = createHash('sha256').update(opts.layout.dataDir).digest('hex').slice(0, 12);
    docker = {
      runtime: new DockerRuntime({ engine, logger: opts.logger, scope }),
      build: dockerBuilder({
        docker: engine.docker,
        layout: opts.layout,
        checkoutFor: (app) => opts.sources(app).mirror,
        logger: opts.logger,
      }),
    };
    return docker;
  };
  return {
    runtimeFor(kind) {
      if (kind === 'process') return opts.processRuntime;
      if (kind === 'docker') return dockerParts().runtime;
      throw new WandolError(
        'INVALID_CONFIG',
        `runtime ${kind} is not available on this agent: use runtime: process or docker`,
      );
    },
    builder: {
      build: (args) => (args.spec.runtime === 'docker' ? dockerParts().build : opts.processBuild).build(args),
    },
    /** Ends the Docker log and stats streams (containers keep running). */
    close: async () => {
      await docker?.runtime.close();
    },
  };
}
