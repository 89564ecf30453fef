import { releaseLine, truncate, type NotifyContent } from './notify-content.js';
import type { NotifyKind } from './notify-target.js';

const EMOJI: Record<NotifyKind, string> = {
  started: ':rocket:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  rolledBack: ':leftwards_arrow_with_hook:',
  degraded: ':warning:',
};

/** A Slack Block Kit block (only the kinds wandol sends). */
export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

/** The body of a Slack incoming webhook message. */
export interface SlackPayload {
  /** The plain fallback shown in notifications. */
  text: string;
  blocks: SlackBlock[];
}

/** A mrkdwn section (emoji, bold title, message) and a context line (release, revision, time). Pure. */
export function slackPayload(content: NotifyContent): SlackPayload {
  const title = `${EMOJI[content.kind]} *${escapeMrkdwn(content.title)}*`;
  const section = truncate(`${title}\n${escapeMrkdwn(content.message)}`, 3000);
  const context = [releaseLine(content), content.at].filter((p) => p !== '').join(' · ');
  return {
    text: truncate(escapeMrkdwn(`${content.title}: ${content.message}`), 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: section } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(context) }] },
    ],
  };
}

/** Slack's three control characters in text: &, < and > (so `<!channel>` in a message stays text). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
