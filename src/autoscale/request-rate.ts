/** A cumulative request count of one instance (as the router counts it) and when it was read (ms). */
export interface RequestSample {
  requests: number;
  sampledAt: number;
}

/**
 * Requests per second between two cumulative samples: Δrequests / Δt s. 150 requests over 15 s is 10.
 * Returns undefined when no rate can be computed: time did not advance, the counter went back (the
 * router created the instance's target again) or a number is not finite. Pure.
 */
export function requestRate(previous: RequestSample, current: RequestSample): number | undefined {
  const seconds = (current.sampledAt - previous.sampledAt) / 1000;
  const sent = current.requests - previous.requests;
  if (!(seconds > 0) || !(sent >= 0)) return undefined;
  const rate = sent / seconds;
  return Number.isFinite(rate) ? rate : undefined;
}
