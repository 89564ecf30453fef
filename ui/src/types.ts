// The API's JSON shapes, shared with the agent (type-only: nothing of src/ is bundled).
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
