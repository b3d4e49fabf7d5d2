/**
 * End to end: the Angular example app (examples/angular) in headless Chromium against the emulator.
 * Builds the app against this checkout's dist/, serves it with examples/angular/serve.mjs (which
 * starts a sped-up emulator), clicks "run", and watches the page.
 */
import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// Compiled to build/spec/e2e/: the repository root is three levels up.
const ROOT = path.resolve(__dirname, '..', '..', '..');
// Every run saves its screenshot under build/; the one in docs/ is (re)written when missing or when
// UPDATE_SCREENSHOTS is set, so that running the tests leaves the working tree clean.
const SCREENSHOT = path.join(ROOT, 'build', 'e2e', 'angular-dashboard.png');
const DOCS_SCREENSHOT = path.join(ROOT, 'docs', 'angular-dashboard.png');
// The annotations of examples/angular/src/app/demo-data.ts that name items the dataset lacks.
const MISSING_REFERENCE_IDS = ['missing_item_1', 'missing_item_2', 'missing_item_3'];

describe('Angular dashboard in headless Chromium (e2e)', function () {
  this.timeout(300_000);

  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let userDataDir: string | undefined;
  let page: Page;
  let dashboardUrl: string;
  const consoleErrors: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env['CI']) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get`);
      console.log(`      skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
      this.skip();
    }
    buildExample();
    ({ server, url: dashboardUrl } = await serveExample());
    userDataDir = mkdtempSync(path.join(tmpdir(), 'nucleus-rx-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      // The network is closed on these machines: no sandbox namespaces, no GPU, no background calls.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1100, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  });

  after(async () => {
    await context?.close();
    if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
    if (server !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('runs append then annotate live: bars rise to 100 %, the JobError and the bad ids show, no console error', async () => {
    await page.goto(dashboardUrl);
    const run = page.getByTestId('run-chain');
    await run.waitFor();
    expect(await page.getByTestId('job-row').count()).to.equal(0);

    // Record every progress value each bar shows, as the page renders it.
    await page.evaluate(() => {
      const seen: Record<string, number[]> = {};
      (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
      const record = (): void => {
        for (const bar of Array.from(document.querySelectorAll('[data-testid="job-row"] [role="progressbar"]'))) {
          const step = bar.getAttribute('data-step') ?? '?';
          const value = Number(bar.getAttribute('aria-valuenow'));
          const values = (seen[step] ??= []);
          if (values[values.length - 1] !== value) values.push(value);
        }
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
    });

    await run.click();

    // While jobs are polled, the app is stable: polling adds no pending task (zoneless whenStable).
    await page.getByTestId('job-row').first().waitFor();
    const stable = await page.evaluate(() =>
      Promise.race([
        (window as unknown as { whenDashboardStable(): Promise<void> }).whenDashboardStable().then(() => 'stable'),
        new Promise((resolve) => setTimeout(() => resolve('busy'), 3000)),
      ]),
    );
    expect(stable).to.equal('stable');

    // The chain ends: the failed step's JobError is shown.
    const jobError = page.getByTestId('job-error');
    await jobError.waitFor({ timeout: 120_000 });
    const errorText = await jobError.innerText();
    expect(errorText).to.contain('JobError');
    expect(errorText).to.match(/annotate/i);
    expect(errorText).to.match(/Errored_/);

    // Both steps ran, and their bars rose to 100 %, passing through values in between.
    const rows = page.getByTestId('job-row');
    expect(await rows.count()).to.equal(2);
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: Record<string, number[]> }).progressSeen);
    expect(Object.keys(seen).sort()).to.deep.equal(['annotate', 'append']);
    for (const [step, values] of Object.entries(seen)) {
      expect(values[values.length - 1], `${step} ends at 100 %`).to.equal(100);
      expect(values.some((v) => v > 0 && v < 100), `${step} shows progress in between: ${values.join(', ')}`).to.equal(true);
      const sorted = [...values].sort((a, b) => a - b);
      expect(values, `${step} never goes back`).to.deep.equal(sorted);
    }
    for (const bar of await page.locator('[data-testid="job-row"] [role="progressbar"]').all()) {
      expect(await bar.getAttribute('aria-valuenow')).to.equal('100');
    }

    // The errors panel names every missing reference id, each once.
    const errors = page.getByTestId('error-item');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="error-item"]').length >= n, MISSING_REFERENCE_IDS.length);
    expect(await errors.count()).to.equal(MISSING_REFERENCE_IDS.length);
    const errorLines = await errors.allInnerTexts();
    for (const id of MISSING_REFERENCE_IDS) {
      expect(errorLines.filter((line) => line.includes(id)), id).to.have.length(1);
    }

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    if (process.env['UPDATE_SCREENSHOTS'] || !existsSync(DOCS_SCREENSHOT)) copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    expect(consoleErrors).to.deep.equal([]);
  });
});

function buildExample(): void {
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-example.js')], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`building examples/angular failed:\n${String(e.stdout ?? '')}\n${String(e.stderr ?? '')}`);
  }
}

/** Starts examples/angular/serve.mjs on a free port; resolves with its URL once it listens. */
function serveExample(): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [path.join(ROOT, 'examples', 'angular', 'serve.mjs'), '--port', '0', '--fast'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /^dashboard: (\S+)$/m.exec(out);
      if (match) resolve({ server, url: match[1]! });
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    server.once('exit', (code) => reject(new Error(`serve.mjs exited (${code}) before listening:\n${out}`)));
  });
}
