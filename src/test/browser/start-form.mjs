// Starts a power change from Camunda Tasklist's start form as an operator would, in Debian's Chromium:
// logs in, opens "Start process", picks "Power change", fills in node, action and reason, takes a
// screenshot of the form and starts it.
//
// Run by StartFormIT (src/test/java/io/lightsout/power/process); by hand:
//   LIGHTSOUT_URL=http://127.0.0.1:8080 LIGHTSOUT_USER=admin LIGHTSOUT_PASSWORD=... \
//   NODE_ID=rack1-node07 ACTION=on SCREENSHOT=target/start-form.png node start-form.mjs
//
// Prints one JSON line prefixed "RESULT " with what Tasklist submitted and what the engine answered.
// Exits non-zero, with a screenshot next to SCREENSHOT (*-failure.png), on any failure.

import fs from 'node:fs';
import path from 'node:path';
import { env, failed, logIn, open } from './tasklist.mjs';

const baseUrl = env('LIGHTSOUT_URL').replace(/\/$/, '');
const user = env('LIGHTSOUT_USER');
const password = env('LIGHTSOUT_PASSWORD');
const nodeId = env('NODE_ID');
const action = env('ACTION', 'on');
const reason = env('REASON', 'started from Tasklist');
const screenshot = path.resolve(env('SCREENSHOT', 'target/start-form.png'));

const log = (message) => console.log(`[start-form] ${message}`);

const { browser, page } = await open(log);

let submitted = null;
page.on('request', (request) => {
  if (request.method() === 'POST' && /\/process-definition\/[^/]+\/submit-form$/.test(new URL(request.url()).pathname)) {
    submitted = request.postDataJSON();
  }
});

try {
  await logIn(page, baseUrl, user, password, log);

  await page.getByText('Start process', { exact: true }).first().click();
  const dialog = page.locator('.modal-dialog');
  await dialog.getByText('Power change', { exact: true }).click();
  const form = dialog.locator('.fjs-form');
  await form.waitFor();
  log('start form shown');

  await form.getByRole('textbox', { name: 'Node', exact: true }).fill(nodeId);
  await form.locator('.fjs-form-field-select').filter({ hasText: 'Action' }).locator('.fjs-input-group').click();
  await form.locator('.fjs-dropdownlist-item').filter({ hasText: new RegExp(`^${action}\\b`) }).first().click();
  await form.getByRole('textbox', { name: 'Reason', exact: true }).fill(reason);

  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
  log(`screenshot ${screenshot}`);

  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'
      && /\/process-definition\/[^/]+\/submit-form$/.test(new URL(response.url()).pathname)),
    dialog.getByRole('button', { name: 'Start', exact: true }).click(),
  ]);
  if (answer.status() !== 200) {
    throw new Error(`Tasklist's submit-form answered ${answer.status()}: ${await answer.text()}`);
  }
  const started = await answer.json();
  log(`started instance ${started.id}`);
  console.log('RESULT ' + JSON.stringify({ submitted, started }));
} catch (error) {
  await failed(page, screenshot, 'start-form', error);
} finally {
  await browser.close();
}
