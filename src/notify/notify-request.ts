import { discordPayload } from './discord-payload.js';
import type { NotifyContent } from './notify-content.js';
import type { NotifyTarget } from './notify-target.js';
import { slackPayload } from './slack-payload.js';
import { signBody } from './webhook-signature.js';

/** An HTTP POST ready to send (and to send again, unchanged, on a retry). */
export interface NotifyRequest {
  body: string;
  headers: Record<string, string>;
}

/** The generic webhook's JSON body: the content without its chat title. */
export type WebhookPayload = Omit<NotifyContent, 'title'>;

/**
 * The request for `target`: Discord embed, Slack blocks, or the generic JSON body with
 * X-Wandol-Event, X-Wandol-Delivery (`deliveryId`, the same on every retry) and, given a signing
 * secret, X-Wandol-Signature. Pure.
 */
export function notifyRequest(
  content: NotifyContent,
  target: NotifyTarget,
  deliveryId: string,
): NotifyRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'wandol' };
  if (target.type === 'discord') return { body: JSON.stringify(discordPayload(content)), headers };
  if (target.type === 'slack') return { body: JSON.stringify(slackPayload(content)), headers };
  const body = JSON.stringify(webhookPayload(content));
  headers['x-wandol-event'] = content.kind;
  headers['x-wandol-delivery'] = deliveryId;
  if (target.signingSecret !== undefined)
    headers['x-wandol-signature'] = signBody(body, target.signingSecret);
  return { body, headers };
}

/** The generic webhook body: `{ kind, event, app, release, revision, message, at, data }`. Pure. */
export function webhookPayload(content: NotifyContent): WebhookPayload {
  const { title: _title, ...payload } = content;
  return payload;
}
