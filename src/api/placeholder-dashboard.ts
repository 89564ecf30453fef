/** The page served at `/` until the real dashboard (ui/) is built and handed to createApiServer. */
export const PLACEHOLDER_DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>wandol</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .3em}</style>
</head>
<body>
<h1>wandol</h1>
<p>The agent is running. The dashboard is not built into this version yet.</p>
<p>Meanwhile: <code>wandol status</code>, <code>wandol history NAME</code>, <code>wandol logs NAME -f</code>.</p>
</body>
</html>
`;
