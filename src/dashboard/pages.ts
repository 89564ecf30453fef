/** Small server-made pages of the dashboard, for when the UI itself cannot answer. */

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2937}' +
  'code{background:#eef0f3;padding:0 .3em;border-radius:3px}';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${STYLE}</style></head>
<body>
${body}
</body>
</html>
`;
}

/** The answer to a login link that is unknown, used or expired. */
export const LOGIN_FAILED_HTML = page(
  'wandol: login link expired',
  `<h1>This login link does not work any more</h1>
<p>A login link works once, within 60 seconds. Run <code>wandol dashboard</code> again for a new one.</p>`,
);

/** The page at `/` when ui/dist was not built. */
export const UI_NOT_BUILT_HTML = page(
  'wandol',
  `<h1>wandol</h1>
<p>The agent is running, but the dashboard was not built: run <code>npm run build</code>, then restart the agent.</p>
<p>Meanwhile: <code>wandol status</code>, <code>wandol history NAME</code>, <code>wandol logs NAME -f</code>.</p>`,
);
