/** The version of the agent ↔ data-plane protocol, reported by `GET /v1/health`. */
export const DATAPLANE_PROTOCOL_VERSION = 1;

/** `GET /v1/health`: who is listening on the data-plane socket. */
export interface DataplaneHealth {
  pid: number;
  /** Milliseconds since the epoch. */
  startedAt: number;
  version: typeof DATAPLANE_PROTOCOL_VERSION;
  /** The host the router's listeners are bound on. */
  listenHost: string;
  /** The shared HTTP listener's port (Host-based routes), null when there is none. */
  httpPort: number | null;
}

/** The error body of every non-2xx answer on the socket. */
export interface DataplaneErrorBody {
  error: { code: string; message: string; details: string[] };
}
