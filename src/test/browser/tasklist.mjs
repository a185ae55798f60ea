// What the browser scripts share: their environment, Debian's Chromium on a closed network, the webapps'
// login, and a screenshot of any failure.

import { chromium } from 'playwright-core';

export const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    throw new Error(`environment variable ${name} is required`);
  }
  return value;
};

/** Chromium with a fresh profile and a 1280x900 page whose steps time out after STEP_TIMEOUT_MS. */
export const open = async (log) => {
  const browser = await chromium.launch({
    executablePath: env('CHROMIUM', '/usr/bin/chromium'),
    headless: true,
    // The machine's network is closed: no background or component traffic, no QUIC.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  // launch() starts Chromium with a fresh temporary --user-data-dir of its own (no saved form state).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(Number(env('STEP_TIMEOUT_MS', '30000')));
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  return { browser, page };
};

/** Logs in to one of Camunda's webapps: tasklist unless app says cockpit or admin. */
export const logIn = async (page, baseUrl, user, password, log, app = 'tasklist') => {
  log(`logging in to ${baseUrl}/camunda/app/${app}/ as ${user}`);
  await page.goto(`${baseUrl}/camunda/app/${app}/`);
  await reloadUntil(page, () => page.getByPlaceholder('Username').waitFor({ timeout: 30000 }), 'no login form', log);
  await page.getByPlaceholder('Username').fill(user);
  await page.getByPlaceholder('Password').fill(password);
  await page.locator('form button[type=submit]').click();
};

/** Opens one of Camunda's webapps in a session that is logged in already, and waits until it has started. */
export const openApp = async (page, baseUrl, app, log) => {
  await page.goto(`${baseUrl}/camunda/app/${app}/`);
  await reloadUntil(page, () => page.waitForFunction(() => document.title.startsWith('Lights-Out'), null,
    { timeout: 30000 }), `${app} not started`, log);
};

/**
 * Waits for a webapp page to be ready (ready() waits 30 s at most). On a loaded machine RequireJS may give up on one
 * of the webapp's modules ("Load timeout"), leaving the splash spinner for good: the page is loaded again, as a user
 * would, up to three times in all.
 */
const reloadUntil = async (page, ready, missing, log) => {
  for (let attempt = 1; ; attempt++) {
    try {
      await ready();
      return;
    } catch (error) {
      if (attempt === 3) {
        throw error;
      }
      log(`${missing} after 30 s (attempt ${attempt}): loading the page again`);
      await page.reload();
    }
  }
};

/** Reports the failure with a full-page screenshot next to the intended one, and sets a failing exit code. */
export const failed = async (page, screenshot, script, error) => {
  const failure = screenshot.replace(/\.png$/, '') + '-failure.png';
  await page.screenshot({ path: failure, fullPage: true }).catch(() => {});
  console.error(`[${script}] FAILED at ${page.url()}: ${error.stack ?? error}`);
  console.error(`[${script}] screenshot of the failure: ${failure}`);
  process.exitCode = 1;
};
