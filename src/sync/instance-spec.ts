import type { AppSpec } from '../config/app-spec.js';
import type { InstanceSpec } from '../runtimes/runtime.js';

/** What an instance is made from. */
export interface InstanceSource {
  app: string;
  id: string;
  releaseId: number;
  revision: string;
  slot: string;
  spec: AppSpec;
  /** The env with secrets resolved (AppContext.instanceEnv). */
  env: Record<string, string>;
  workdir: string;
  logFile: string;
  image?: string;
}

/** The runtime request for one instance of a release. Pure. */
export function instanceSpecFor(src: InstanceSource): InstanceSpec {
  return {
    id: src.id,
    app: src.app,
    releaseId: src.releaseId,
    revision: src.revision,
    slot: src.slot,
    workdir: src.workdir,
    command: src.spec.run.command,
    image: src.image,
    port: src.spec.run.port,
    env: src.env,
    resources: src.spec.resources,
    volumes: src.spec.volumes,
    terminationGracePeriodMs: src.spec.terminationGracePeriodMs,
    logFile: src.logFile,
  };
}
