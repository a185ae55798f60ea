// The Lights-Out plugins in Camunda Cockpit, as an operator meets them in Debian's Chromium: logs in to Cockpit,
// reads the Fleet dashboard (tiles, held nodes, queues) and saves it as a screenshot, follows the dashboard's link
// to a waiting power request's process instance, opens its "Power request" tab and saves that too. Also checks that
// the Cockpit session may read /api/v1 but not write to it.
//
// Run by CockpitFleetIT (src/test/java/io/lightsout); by hand:
//   LIGHTSOUT_URL=http://127.0.0.1:8080 LIGHTSOUT_USER=admin LIGHTSOUT_PASSWORD=... HELD_NODE=<node id> \
//   PROCESS_INSTANCE_ID=<instance of a waiting request> DASHBOARD_SCREENSHOT=docs/fleet-dashboard.png \
//   TAB_SCREENSHOT=docs/power-request-tab.png node cockpit-fleet.mjs
//
// Prints one JSON line prefixed "RESULT " with what the pages showed.
// Exits non-zero, with a screenshot next to DASHBOARD_SCREENSHOT (*-failure.png), on any failure.

import fs from 'node:fs';
import path from 'node:path';
import { env, failed, logIn, open, openApp } from './tasklist.mjs';

const baseUrl = env('LIGHTSOUT_URL').replace(/\/$/, '');
const user = env('LIGHTSOUT_USER');
const password = env('LIGHTSOUT_PASSWORD');
const heldNode = env('HELD_NODE');
const processInstanceId = env('PROCESS_INSTANCE_ID');
const dashboardShot = path.resolve(env('DASHBOARD_SCREENSHOT', 'target/fleet-dashboard.png'));
const tabShot = path.resolve(env('TAB_SCREENSHOT', 'target/power-request-tab.png'));

const log = (message) => console.log(`[cockpit-fleet] ${message}`);
const texts = async (locator) => (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());

const { browser, page } = await open(log);

/** Cockpit's panes scroll on their own: a window as tall as its content shows the header and the plugin at once. */
const screenshotWhole = async (file) => {
  await page.waitForTimeout(1500); // Cockpit's own counters load on their own: a picture, not an assertion
  const height = await page.evaluate(() => Math.max(...[...document.querySelectorAll('*')]
    .map((element) => element.getBoundingClientRect().top + window.scrollY + element.scrollHeight)));
  await page.setViewportSize({ width: 1280, height: Math.min(Math.ceil(height) + 20, 3000) });
  await page.evaluate(() => document.querySelectorAll('*').forEach((element) => { element.scrollTop = 0; }));
  await page.screenshot({ path: file });
};
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));

try {
  await logIn(page, baseUrl, user, password, log, 'cockpit');
  pageErrors.length = 0; // what a load timeout left before logIn loaded the page again is not the plugins'
  const fleet = page.locator('.lightsout-fleet');
  await fleet.waitFor();
  log('Fleet dashboard shown');
  const title = await page.title();
  const banners = await page.locator('.ce-eol-banner').evaluateAll(
    (elements) => elements.filter((element) => element.offsetParent !== null).length);
  const tiles = Object.fromEntries((await fleet.locator('.lightsout-tile').evaluateAll((elements) => elements.map(
    (element) => [element.querySelector('.lightsout-tile-label').textContent,
      Number(element.querySelector('.lightsout-tile-value').textContent)]))));
  const heldSection = fleet.locator('h4:text-is("Held nodes") + table');
  const heldRows = await texts(heldSection.locator('tbody tr'));
  const queueRows = await texts(fleet.locator('h4:has-text("Queues") + table tbody tr'));

  fs.mkdirSync(path.dirname(dashboardShot), { recursive: true });
  await screenshotWhole(dashboardShot);
  log(`screenshot ${dashboardShot}`);

  // Reads with the session work (the dashboard above); a write with the session alone is refused.
  const writeWithSession = await page.evaluate(async (node) => (await fetch(`/api/v1/nodes/${node}/resume`,
    { method: 'POST', credentials: 'same-origin' })).status, heldNode);

  // The dashboard links each waiting request to its process instance: follow the one of the held node.
  const link = fleet.locator(`a[href="#/process-instance/${processInstanceId}/runtime"]`);
  const linkText = (await link.innerText()).trim();
  await link.click();
  await page.waitForURL(new RegExp(`/process-instance/${processInstanceId}/runtime`));
  const tab = page.locator('.ctn-tabbed-content li, ul.nav-tabs li').filter({ hasText: 'Power request' });
  await tab.first().click();
  const request = page.locator('.lightsout-request');
  await request.waitFor();
  const fields = Object.fromEntries(await request.locator('dl.lightsout-fields dt').evaluateAll((terms) => terms.map(
    (term) => [term.textContent.trim(), term.nextElementSibling.textContent.trim()])));
  const queueOfNode = await texts(request.locator('table tbody tr'));
  await screenshotWhole(tabShot);
  log(`screenshot ${tabShot}`);

  // The other webapps, in the same session: branded too (title, the Lights-Out mark), without the banner
  const apps = {};
  for (const app of ['tasklist', 'admin', 'welcome']) {
    await openApp(page, baseUrl, app, log);
    await page.locator('[cam-widget-header] .brand-name').first().waitFor();
    apps[app] = {
      title: await page.title(),
      banners: await page.locator('.ce-eol-banner').evaluateAll(
        (elements) => elements.filter((element) => element.offsetParent !== null).length),
      brand: (await page.locator('[cam-widget-header] .brand-name').first().innerText()).trim(),
      logo: await page.locator('[cam-widget-header] .brand-name').first().evaluate(async (element) => {
        const image = getComputedStyle(element, '::before').backgroundImage;
        const url = (image.match(/url\("?([^")]+)"?\)/) || [])[1];
        const answer = url ? await fetch(url) : null;
        return { image, status: answer ? answer.status : null, type: answer ? answer.headers.get('content-type') : null };
      }),
    };
  }

  console.log('RESULT ' + JSON.stringify({
    title, banners, apps, tiles, heldRows, queueRows, writeWithSession, linkText, fields, queueOfNode, pageErrors,
  }));
} catch (error) {
  await failed(page, dashboardShot, 'cockpit-fleet', error);
} finally {
  await browser.close();
}
