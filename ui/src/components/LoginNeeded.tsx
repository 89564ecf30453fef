/** What the page shows without a session: how to get one. */
export function LoginNeeded() {
  return (
    <main class="login-needed" aria-labelledby="login-title">
      <h1 id="login-title">wandol</h1>
      <p>
        Run <code>wandol dashboard</code> to log in.
      </p>
      <p class="muted">
        It opens a one-time link (or prints it with <code>--print-url</code>); this browser then stays logged
        in for 7 days.
      </p>
    </main>
  );
}
