/** The runtimes an app spec can name. */
export type RuntimeKind = 'process' | 'docker' | 'kubernetes';
/** Rollout strategies. */
export type StrategyType = 'blue-green' | 'rolling' | 'recreate';

/** A Kubernetes-style probe action: exactly one of these is set. */
export type ProbeAction =
  | {
      kind: 'httpGet';
      path: string;
      port?: number;
      scheme: 'HTTP';
      httpHeaders: { name: string; value: string }[];
    }
  | { kind: 'tcpSocket'; port?: number }
  | { kind: 'exec'; command: string[] };

/** A probe with Kubernetes semantics; all times in milliseconds. */
export interface Probe {
  action: ProbeAction;
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

/**
 * A validated `wandol.yaml`, normalised: defaults applied, durations in milliseconds, quantities in
 * plain units. Produced only by `config/parse-app-spec.ts`; everything downstream reads this shape.
 */
export interface AppSpec {
  runtime: RuntimeKind;
  build: { command?: string; dockerfile?: string; timeoutMs: number };
  run: { command?: string; port?: number };
  replicas: number;
  strategy: {
    type: StrategyType;
    scaleDownDelayMs: number;
    /** How long a new release may take to become ready before it is declared Failed. */
    progressDeadlineMs: number;
    maxSurge: number;
    maxUnavailable: number;
  };
  probes: { startup?: Probe; readiness?: Probe; liveness?: Probe };
  drain: { timeoutMs: number };
  terminationGracePeriodMs: number;
  resources: { cpuMillis?: number; memoryBytes?: number };
  autoscale?: { min: number; max: number; targetCPUUtilization: number };
  env: Record<string, string>;
  secrets: string[];
  volumes: { name: string; mountPath: string }[];
  route?: { port?: number; host?: string };
  gitops?: { kustomization: string; image: string };
}
