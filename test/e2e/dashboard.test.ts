// The dashboard end to end in a real headless Chromium (Debian's, never a downloaded one), against
// a real agent, data plane, git remote and app processes on 127.0.0.1.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestAgent, type TestAgent } from '../support/agent-harness.js';
import { freePort } from '../support/free-port.js';
import { gitFixture, type GitFixture } from '../support/git-fixture.js';
import { get, startLoad } from '../support/load.js';
import { sampleAppFiles, sampleWandolYaml } from '../support/sample-app.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : 'Chromium is not installed: apt-get install -y chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const APP = 'web';

describe('dashboard in headless Chromium', { skip }, () => {
  const dir = tempDir('wandol-e2e-dashboard-');
  let t: TestAgent;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let repo: GitFixture;
  let yaml: string;
  let appUrl: string;
  let v1: string;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestAgent(join(dir.path, 'data'));
    const port = await freePort();
    repo = gitFixture(dir.path, APP);
    yaml = sampleWandolYaml(port);
    v1 = repo.commit(sampleAppFiles({ version: 'v1' }, yaml), 'first version');
    await t.client.addApp({ name: APP, repo: repo.remote, pollMs: 300 });
    appUrl = `http://127.0.0.1:${port}/`;
    await waitFor('v1 served', async () => (await get(appUrl)).body === 'v1', 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await t?.down();
    dir.cleanup();
  });

  const shot = (name: string): Promise<Buffer> =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const releaseNode = (revision: string) => page.locator(`article[data-revision="${revision}"]`).first();
  const liveNode = () => page.locator('article[data-live="true"]');

  test('without a session the page says how to log in', async () => {
    const anonymous = await browser.newContext();
    try {
      const p = await anonymous.newPage();
      await p.goto(`${t.agent.apiUrl}/`);
      await p.getByText('to log in').waitFor({ timeout: 20_000 });
      assert.match((await p.locator('main').textContent()) ?? '', /Run wandol dashboard to log in/);
      await p.screenshot({ path: join(ARTIFACTS, 'dashboard-logged-out.png') });
    } finally {
      await anonymous.close();
    }
  });

  test('logs in with a one-time link: HttpOnly SameSite=Strict cookie, no code left in the URL', async () => {
    const link = t.client.loginUrl(await t.client.createLoginCode());
    await page.goto(link);
    assert.equal(page.url(), `${t.agent.apiUrl}/`);
    const cookie = (await context.cookies()).find((c) => c.name === 'wandol_session');
    assert.ok(cookie, 'the session cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/');
    assert.ok(
      !String(await page.evaluate('document.cookie')).includes('wandol_session'),
      'scripts cannot read it',
    );
    // The link works once: a second browser gets the 401 page.
    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      const res = await p.goto(link);
      assert.equal(res?.status(), 401);
      assert.match((await p.textContent('body')) ?? '', /wandol dashboard/);
    } finally {
      await other.close();
    }
  });

  test('lists the app with its health and sync badges', async () => {
    const card = page.locator(`[data-app="${APP}"]`);
    await card.locator('[data-health="Healthy"]').waitFor();
    await card.locator('[data-sync="Synced"]').waitFor();
    assert.match((await card.textContent()) ?? '', new RegExp(v1.slice(0, 7)));
    await page.locator('[aria-label="Updates: live"]').waitFor();
    await shot('dashboard-apps');
  });

  test('a pushed commit appears in the tree live, and Rollback puts the previous release back', async () => {
    await page.getByRole('link', { name: APP, exact: true }).click();
    assert.equal(new URL(page.url()).pathname, `/apps/${APP}`);
    await releaseNode(v1).and(liveNode()).waitFor();
    // A marker that a reload would wipe: everything below must arrive without one.
    await page.evaluate('window.__noReload = true');
    const load = startLoad(appUrl, { concurrency: 2, maxRequests: 5000, pauseMs: 5 });
    const v2 = repo.commit(sampleAppFiles({ version: 'v2' }, yaml), 'second version');
    try {
      await releaseNode(v2).waitFor();
      await releaseNode(v2).and(liveNode()).waitFor();
    } finally {
      await load.stop();
    }
    await waitFor('v2 served', async () => (await get(appUrl)).body === 'v2', 30_000);
    await shot('dashboard-app-v2');

    const previous = page.locator(`article[data-revision="${v1}"][data-status="Succeeded"]`).first();
    await previous.getByRole('button', { name: /^Rollback to release/ }).click();
    await previous.getByRole('button', { name: 'Confirm rollback' }).click();
    await waitFor(
      'the rollback to v1 live in the page',
      async () => (await liveNode().first().getAttribute('data-revision')) === v1,
      60_000,
      200,
    );
    assert.equal(await page.evaluate('window.__noReload === true'), true, 'the page was never reloaded');
    assert.equal((await t.client.status(APP)).revision, v1);
    await waitFor('v1 served again', async () => (await get(appUrl)).body === 'v1', 30_000);
    const events = page.getByRole('tab', { name: 'Events' });
    await events.click();
    await page.locator('[data-event-type="DeployQueued"]').first().waitFor();
    await shot('dashboard-events');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await shot('dashboard-app-rolled-back');
  });

  test('follows the live logs and shows the build log', async () => {
    await page.getByRole('tab', { name: 'Logs' }).click();
    const log = page.getByRole('log', { name: `Output of ${APP}` });
    await waitFor(
      'instance output in the log view',
      async () => /listening on/.test((await log.textContent()) ?? ''),
      30_000,
    );
    await page.getByRole('tab', { name: 'Build log' }).click();
    await page.getByRole('log', { name: `Build log of ${APP}` }).waitFor();
    await shot('dashboard-logs');
    await page.getByRole('tab', { name: 'Overview' }).click();
  });

  test('charts the figures that the agent rolls up every 10 s', async () => {
    const load = startLoad(appUrl, { concurrency: 1, maxRequests: 2000, pauseMs: 20 });
    try {
      await waitFor(
        'a metric point with traffic',
        async () => (await t.client.metrics(APP)).points.some((p) => p.requestsPerSecond > 0),
        45_000,
        500,
      );
    } finally {
      await load.stop();
    }
    const series = await t.client.metrics(APP);
    assert.equal(series.intervalMs, 10_000);
    assert.ok(series.points.every((p) => p.replicasDesired === 1));
    await page.reload();
    const chart = page.getByRole('img', { name: /^Requests\/s: latest/ });
    await chart.waitFor();
    assert.ok((await chart.locator('path').first().getAttribute('d'))?.startsWith('M'), 'a line is drawn');
    await shot('dashboard-charts');
  });

  test('is usable at 375 px: no horizontal scroll, every control named', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const path of ['/', `/apps/${APP}`]) {
      await page.goto(`${t.agent.apiUrl}${path}`);
      await page
        .locator(path === '/' ? `[data-app="${APP}"]` : 'article[data-live="true"]')
        .first()
        .waitFor();
      const widths = (await page.evaluate(
        '[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]',
      )) as number[];
      const [doc, body, viewport] = widths;
      assert.ok(doc !== undefined && body !== undefined && viewport !== undefined);
      assert.ok(
        doc <= viewport && body <= viewport,
        `${path}: content ${doc}/${body} px wide in ${viewport} px`,
      );
      const unnamed =
        (await page.evaluate(`[...document.querySelectorAll('button, a, [role=tab], input, select')]
        .filter((el) => !(el.getAttribute('aria-label') || el.textContent || '').trim())
        .map((el) => el.outerHTML)`)) as string[];
      assert.deepEqual(unnamed, [], `${path}: controls without an accessible name`);
      await shot(path === '/' ? 'dashboard-phone-apps' : 'dashboard-phone-app');
    }
    assert.deepEqual(pageErrors, [], 'no script errors or CSP violations');
  });
});
