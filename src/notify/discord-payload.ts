import { shortSha } from '../core/names.js';
import { truncate, type NotifyContent } from './notify-content.js';
import type { NotifyKind } from './notify-target.js';

/** Embed colours: green for success, red for failure, orange for a rollback or degraded health. */
export const DISCORD_COLORS: Record<NotifyKind, number> = {
  started: 0x3498db,
  succeeded: 0x2ecc71,
  failed: 0xe74c3c,
  rolledBack: 0xe67e22,
  degraded: 0xe67e22,
};

/** A Discord embed field. */
interface Field {
  name: string;
  value: string;
  inline: boolean;
}

/** The body of a Discord incoming webhook execution. */
export interface DiscordPayload {
  content?: string;
  embeds: { title: string; description: string; color: number; fields: Field[]; timestamp: string }[];
  /** No @everyone or role ping, whatever a commit message says. */
  allowed_mentions: { parse: string[] };
}

/** One embed with the title, the message, the app, release and revision, cut to Discord's limits. Pure. */
export function discordPayload(content: NotifyContent): DiscordPayload {
  const fields: Field[] = [];
  if (content.app !== null) fields.push(field('App', content.app));
  if (content.release !== null) fields.push(field('Release', `#${content.release}`));
  if (content.revision !== null) fields.push(field('Revision', shortSha(content.revision)));
  return {
    embeds: [
      {
        title: truncate(content.title, 256),
        description: truncate(content.message, 4096),
        color: DISCORD_COLORS[content.kind],
        fields,
        timestamp: content.at,
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

function field(name: string, value: string): Field {
  return { name, value: truncate(value, 1024), inline: true };
}
