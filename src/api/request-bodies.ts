import { WandolError } from '../core/errors.js';
import type { AddAppRequest, DeployRequest, RollbackRequest } from './wire.js';

type Fields = Record<string, unknown>;

/** Checks `POST /api/v1/apps`. Throws USAGE listing every bad field. Pure. */
export function parseAddAppRequest(body: unknown): AddAppRequest {
  const obj = asObject(body, 'an app registration');
  const problems: string[] = [];
  const name = requiredString(obj, 'name', problems);
  const repo = requiredString(obj, 'repo', problems);
  const branch = optionalString(obj, 'branch', problems);
  const path = optionalString(obj, 'path', problems);
  const pollMs = obj.pollMs;
  if (pollMs !== undefined && !(typeof pollMs === 'number' && Number.isInteger(pollMs) && pollMs > 0)) {
    problems.push('pollMs: expected a positive whole number of milliseconds');
  }
  reject(problems, obj, ['name', 'repo', 'branch', 'path', 'pollMs']);
  const req: AddAppRequest = { name: name ?? '', repo: repo ?? '' };
  if (branch !== undefined) req.branch = branch;
  if (path !== undefined) req.path = path;
  if (pollMs !== undefined) req.pollMs = pollMs as number;
  return req;
}

/** Checks `POST /api/v1/apps/:name/deploy` (an empty body deploys the branch head). Pure. */
export function parseDeployRequest(body: unknown): DeployRequest {
  if (body === undefined) return {};
  const obj = asObject(body, 'a deploy request');
  const problems: string[] = [];
  const rev = optionalString(obj, 'rev', problems);
  reject(problems, obj, ['rev']);
  return rev === undefined ? {} : { rev };
}

/** Checks `POST /api/v1/apps/:name/rollback` (an empty body goes back to the previous release). Pure. */
export function parseRollbackRequest(body: unknown): RollbackRequest {
  if (body === undefined) return {};
  const obj = asObject(body, 'a rollback request');
  const problems: string[] = [];
  const to = optionalString(obj, 'to', problems);
  reject(problems, obj, ['to']);
  return to === undefined ? {} : { to };
}

/** Checks `POST /api/v1/shutdown` (an empty body stops the control plane only). Pure. */
export function parseShutdownRequest(body: unknown): { dataplane: boolean } {
  if (body === undefined) return { dataplane: false };
  const obj = asObject(body, 'a shutdown request');
  const problems: string[] = [];
  if (obj.dataplane !== undefined && typeof obj.dataplane !== 'boolean') {
    problems.push('dataplane: expected true or false');
  }
  reject(problems, obj, ['dataplane']);
  return { dataplane: obj.dataplane === true };
}

function asObject(body: unknown, what: string): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new WandolError('USAGE', `the request body must be a JSON object: ${what}`);
  }
  return body as Fields;
}

function requiredString(obj: Fields, key: string, problems: string[]): string | undefined {
  const value = obj[key];
  if (typeof value === 'string' && value !== '') return value;
  problems.push(`${key}: required, a non-empty string`);
  return undefined;
}

function optionalString(obj: Fields, key: string, problems: string[]): string | undefined {
  const value = obj[key];
  if (value === undefined || (typeof value === 'string' && value !== '')) return value;
  problems.push(`${key}: expected a non-empty string`);
  return undefined;
}

function reject(problems: string[], obj: Fields, known: string[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) problems.push(`${key}: unknown field (accepted: ${known.join(', ')})`);
  }
  if (problems.length > 0) throw new WandolError('USAGE', 'invalid request body', { details: problems });
}
