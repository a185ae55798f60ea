// Swagger UI of the Lights-Out API in Debian's Chromium: opens it, checks that the Authorize button offers
// HTTP Basic, authorizes, opens the power-request POST and takes a screenshot (docs/swagger-ui.png).
//
// By hand, against a running instance:
//   LIGHTSOUT_URL=http://127.0.0.1:8080 LIGHTSOUT_USER=admin LIGHTSOUT_PASSWORD=... \
//   SCREENSHOT=../../../docs/swagger-ui.png node swagger-ui.mjs
//
// Prints one JSON line prefixed "RESULT " with what the page showed.

import path from 'node:path';
import { env, failed, open } from './tasklist.mjs';

const baseUrl = env('LIGHTSOUT_URL').replace(/\/$/, '');
const user = env('LIGHTSOUT_USER');
const password = env('LIGHTSOUT_PASSWORD');
const screenshot = path.resolve(env('SCREENSHOT', 'target/swagger-ui.png'));

const log = (message) => console.log(`[swagger-ui] ${message}`);

const { browser, page } = await open(log);
try {
  log(`opening ${baseUrl}/swagger-ui.html`);
  await page.goto(`${baseUrl}/swagger-ui.html`);
  await page.locator('button.authorize').click();
  const dialog = page.locator('.modal-ux');
  const scheme = await dialog.locator('h4').first().innerText();
  await dialog.locator('input[type=text]').fill(user);
  await dialog.locator('input[type=password]').fill(password);
  await dialog.locator('button.authorize').click();
  await dialog.locator('button.btn-done').click();

  const post = page.locator('.opblock-post', { hasText: '/api/v1/nodes/{nodeId}/power-requests' });
  await post.locator('.opblock-summary').click();
  const codes = await post.locator('tr.response').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
  if (process.env.OPERATION_SCREENSHOT) {
    await post.screenshot({ path: path.resolve(process.env.OPERATION_SCREENSHOT) });
  }
  await page.locator('button.authorize').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot, fullPage: false, clip: { x: 0, y: 0, width: 1280, height: 900 } });
  console.log(`RESULT ${JSON.stringify({ scheme, codes, screenshot })}`);
} catch (error) {
  await failed(page, screenshot, 'swagger-ui', error);
} finally {
  await browser.close();
}
