// The API's JSON shapes, shared with the agent (type-only: of src/, the bundle holds only the
// pure SSE parser, imported by live.ts).
export type {
  AppStatus,
  EventRecord,
  InstanceStatus,
  MetricPoint,
  MetricSeries,
  ReleaseRecord,
  ReleaseStatus,
} from '../../src/api/wire.js';
export type { HealthStatus, SyncStatus } from '../../src/health/health-status.js';
