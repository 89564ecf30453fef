import type { PushEvent } from '../../api/wire.js';
import {
  asObject,
  child,
  classifyRef,
  isCommitId,
  isZeroCommit,
  requireFields,
  text,
  texts,
  type Json,
} from './payload-fields.js';
import { headerValue, type WebhookHeaders, type WebhookProvider } from './webhook-provider.js';

/** What a webhook asks of wandol: deploy a push, answer a ping, or nothing (with the reason). */
export type ParsedWebhook =
  { kind: 'push'; push: PushEvent } | { kind: 'ping' } | { kind: 'ignored'; reason: string };

const GITHUB_NAMES = ['clone_url', 'ssh_url', 'html_url', 'git_url', 'full_name'];
const GITLAB_PROJECT_NAMES = ['git_http_url', 'git_ssh_url', 'web_url', 'path_with_namespace', 'http_url'];
const GITLAB_REPOSITORY_NAMES = ['git_http_url', 'git_ssh_url', 'url', 'homepage'];

/**
 * Reads a (JSON-decoded) webhook of `provider`: GitHub `X-GitHub-Event` push/ping, GitLab
 * `X-Gitlab-Event` Push Hook (a System Hook is a push when its payload says so, a pong otherwise),
 * Gitea/Forgejo `X-Gitea-Event` push. Tags, other refs and other events are `ignored` with a reason; a
 * branch deletion is a push with `deleted: true`. Throws WandolError USAGE (→ 400) when a payload
 * that says push lacks its ref, commit or repository. Pure; does not check signatures.
 */
export function parseWebhook(
  provider: WebhookProvider,
  headers: WebhookHeaders,
  body: unknown,
): ParsedWebhook {
  if (provider === 'github') {
    const event = headerValue(headers, 'x-github-event');
    if (event === 'ping') return { kind: 'ping' };
    return event === 'push' ? githubLikePush('github', body) : ignoredEvent('X-GitHub-Event', event);
  }
  if (provider === 'gitea') {
    const event = headerValue(headers, 'x-gitea-event', 'x-forgejo-event', 'x-gogs-event');
    return event === 'push' ? githubLikePush('gitea', body) : ignoredEvent('X-Gitea-Event', event);
  }
  return parseGitlab(headers, body);
}

function parseGitlab(headers: WebhookHeaders, body: unknown): ParsedWebhook {
  const event = headerValue(headers, 'x-gitlab-event');
  if (event === 'Push Hook') return gitlabPush(body);
  if (event === 'Tag Push Hook') return { kind: 'ignored', reason: 'tag push: only branches deploy' };
  if (event !== 'System Hook') return ignoredEvent('X-Gitlab-Event', event);
  // System hooks carry every instance event under one header; the payload says which it is.
  const payload = asObject(body, 'GitLab');
  const kind = text(payload, 'object_kind') ?? text(payload, 'event_name');
  if (kind === 'push') return gitlabPush(payload);
  if (kind === 'tag_push') return { kind: 'ignored', reason: 'tag push: only branches deploy' };
  return { kind: 'ping' };
}

function ignoredEvent(header: string, event: string | undefined): ParsedWebhook {
  const reason =
    event === undefined ? `no ${header} header: only push events deploy` : `${event} events do not deploy`;
  return { kind: 'ignored', reason };
}

function githubLikePush(provider: 'github' | 'gitea', body: unknown): ParsedWebhook {
  const payload = asObject(body, provider === 'github' ? 'GitHub' : 'Gitea');
  const names = texts(child(payload, 'repository'), GITHUB_NAMES);
  const pusher = child(payload, 'pusher');
  const name =
    provider === 'github' ? text(pusher, 'name') : (text(pusher, 'login') ?? text(pusher, 'username'));
  return toPush(provider, payload, names, name ?? null);
}

function gitlabPush(body: unknown): ParsedWebhook {
  const payload = asObject(body, 'GitLab');
  const names = texts(child(payload, 'project'), GITLAB_PROJECT_NAMES);
  for (const name of texts(child(payload, 'repository'), GITLAB_REPOSITORY_NAMES)) {
    if (!names.includes(name)) names.push(name);
  }
  const pusher = text(payload, 'user_username') ?? text(payload, 'user_name') ?? null;
  return toPush('gitlab', payload, names, pusher);
}

function toPush(
  provider: WebhookProvider,
  payload: Json,
  names: string[],
  pusher: string | null,
): ParsedWebhook {
  const ref = text(payload, 'ref');
  const after = text(payload, 'after');
  const missing = [
    ...(ref === undefined ? ['ref'] : []),
    ...(isCommitId(after) ? [] : ['after']),
    ...(names.length === 0 ? ['repository'] : []),
  ];
  requireFields({ github: 'GitHub', gitlab: 'GitLab', gitea: 'Gitea' }[provider], missing);
  const target = classifyRef(ref ?? '');
  if ('ignored' in target) return { kind: 'ignored', reason: target.ignored };
  const sha = (after ?? '').toLowerCase();
  const deleted = payload.deleted === true || isZeroCommit(sha);
  return {
    kind: 'push',
    push: { provider, repository: names, branch: target.branch, after: sha, deleted, pusher },
  };
}
