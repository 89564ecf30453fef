import type { DataplaneClient } from '../../dataplane/control-client.js';
import type { Instance, InstanceSpec, Runtime, RuntimeCapabilities } from '../runtime.js';

/**
 * The process runtime: instances are local processes (`/bin/sh -c <run.command>` on a loopback
 * $PORT), owned by the data plane's supervisor so that they outlive the agent. This adapter only
 * forwards to the data plane over its socket; a restarted agent sees the same instances.
 * Every method throws WandolError DATAPLANE_UNREACHABLE when the data plane is not running.
 *
 * Resources: the supervisor samples each instance's process group every second (`usage`) and
 * enforces `resources.memory` by SIGKILLing a group whose summed RSS exceeds it (reason OOMKilled).
 * `resources.cpu` (cpuMillis) is NOT enforced: without cgroups there is no throttling. It is the
 * request that autoscaling measures utilisation against (CPU seconds per second / cpuMillis).
 */
export class ProcessRuntime implements Runtime {
  readonly kind = 'process';
  readonly capabilities: RuntimeCapabilities = { parallelReleases: true, memoryLimit: true };

  constructor(private readonly dataplane: DataplaneClient) {}

  /** Starts the instance or returns the existing one with this id. Idempotent on spec.id. */
  start(spec: InstanceSpec): Promise<Instance> {
    return this.dataplane.startInstance(spec);
  }

  /** SIGTERM to the instance's process group, SIGKILL after its grace period. Idempotent. */
  stop(id: string): Promise<void> {
    return this.dataplane.stopInstance(id);
  }

  /** The instance, exited ones included until forget; undefined when unknown. */
  get(id: string): Promise<Instance | undefined> {
    return this.dataplane.getInstance(id);
  }

  /** Instances of the supervisor, optionally of one app. */
  list(app?: string): Promise<Instance[]> {
    return this.dataplane.listInstances(app);
  }

  /** Drops an exited instance's record. Idempotent; CONFLICT while it still runs. */
  forget(id: string): Promise<void> {
    return this.dataplane.forgetInstance(id);
  }
}
