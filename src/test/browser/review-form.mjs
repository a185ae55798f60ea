// Decides a queue review in Camunda Tasklist as an operator would, in Debian's Chromium:
// logs in, opens "Review held queues", claims it, chooses "per-request", checks exactly one
// request, takes a screenshot of the form and completes the task.
//
// Run by ReviewFormIT (src/test/java/io/lightsout/outage); by hand:
//   LIGHTSOUT_URL=http://127.0.0.1:8080 LIGHTSOUT_USER=admin LIGHTSOUT_PASSWORD=... \
//   CANCEL_REQUEST_ID=<power request id> SCREENSHOT=target/review-form.png node review-form.mjs
//
// Prints one JSON line prefixed "RESULT " with what the form showed and what Tasklist submitted.
// Exits non-zero, with a screenshot next to SCREENSHOT (*-failure.png), on any failure.

import fs from 'node:fs';
import path from 'node:path';
import { env, failed, logIn, open } from './tasklist.mjs';

const baseUrl = env('LIGHTSOUT_URL').replace(/\/$/, '');
const user = env('LIGHTSOUT_USER');
const password = env('LIGHTSOUT_PASSWORD');
const cancelRequestId = env('CANCEL_REQUEST_ID');
const screenshot = path.resolve(env('SCREENSHOT', 'target/review-form.png'));
const TASK_NAME = 'Review held queues';

const log = (message) => console.log(`[review-form] ${message}`);

const { browser, page } = await open(log);

let submitted = null;
page.on('request', (request) => {
  if (request.method() === 'POST' && /\/task\/[^/]+\/submit-form$/.test(new URL(request.url()).pathname)) {
    submitted = request.postDataJSON();
  }
});

try {
  await logIn(page, baseUrl, user, password, log);

  // The task list shows the tasks of the selected filter ("All tasks", created at first start).
  const taskInList = page.locator('li.task').filter({ hasText: TASK_NAME });
  await taskInList.first().waitFor();
  const tasksFound = await taskInList.count();
  if (tasksFound !== 1) {
    throw new Error(`expected one "${TASK_NAME}" task in the list, found ${tasksFound}`);
  }
  await taskInList.first().getByText(TASK_NAME).click();
  await page.waitForURL(/[?&]task=/);
  // Tasklist routes in the URL's fragment: #/?...&task=<id>
  const taskId = decodeURIComponent(page.url().match(/[?&]task=([^&]+)/)[1]);
  log(`opened task ${taskId}`);

  // Claim it unless it is ours already: the form stays disabled until then.
  const engineApi = `/camunda/api/engine/engine/default`;
  const getJson = (url) => page.evaluate(async (address) => {
    const response = await fetch(address, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(`GET ${address}: HTTP ${response.status}`);
    }
    return response.json();
  }, url);
  const form = page.locator('.fjs-form');
  if ((await getJson(`${engineApi}/task/${taskId}`)).assignee !== user) {
    await page.locator('button.claim').click();
    await page.locator('.disabled-form').waitFor({ state: 'detached' });
    log('claimed');
  }
  await form.waitFor();

  // The label of the request to cancel, as the form shows it: read through Tasklist's own API and session.
  const variables = await getJson(`${engineApi}/task/${taskId}/form-variables?deserializeValues=false`);
  const requestOptions = JSON.parse(variables.requestOptions.value);
  const nodeOptions = JSON.parse(variables.nodeOptions.value);
  const toCancel = requestOptions.find((option) => option.value === cancelRequestId);
  if (!toCancel) {
    throw new Error(`request ${cancelRequestId} is not among the form's options: ${JSON.stringify(requestOptions)}`);
  }

  const summary = await form.getByLabel(/Why the queues are held/).inputValue();
  const cancelRequests = form.locator('.fjs-form-field-checklist').filter({ hasText: 'Cancel these requests' });
  const cancelNodes = form.locator('.fjs-form-field-checklist').filter({ hasText: 'Cancel every request of these nodes' });

  await form.getByLabel('Cancel the nodes and requests I check below, resume the rest').check();
  await cancelRequests.waitFor();
  const shownRequests = await cancelRequests.locator('label:has(input[type=checkbox])').allInnerTexts();
  const shownNodes = await cancelNodes.locator('label:has(input[type=checkbox])').allInnerTexts();
  for (const option of requestOptions) {
    if (!shownRequests.map((text) => text.trim()).includes(option.label)) {
      throw new Error(`request option "${option.label}" is not shown; the form shows ${JSON.stringify(shownRequests)}`);
    }
  }
  for (const option of nodeOptions) {
    if (!shownNodes.map((text) => text.trim()).includes(option.label)) {
      throw new Error(`node option "${option.label}" is not shown; the form shows ${JSON.stringify(shownNodes)}`);
    }
  }
  await cancelRequests.getByLabel(toCancel.label, { exact: true }).check();
  const checked = await form.locator('input[type=checkbox]:checked').count();
  if (checked !== 1) {
    throw new Error(`expected exactly one checked box in the form, found ${checked}`);
  }
  log(`checked "${toCancel.label}"`);

  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  // Tasklist's panes scroll on their own: grow the window by what they hide, then scroll them to the top,
  // so that the task's title, the whole form and its Complete button are in one picture.
  const hidden = await form.evaluate((element) => {
    let extra = 0;
    for (let node = element.parentElement; node; node = node.parentElement) {
      extra = Math.max(extra, node.scrollHeight - node.clientHeight);
    }
    return extra;
  });
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: viewport.width, height: viewport.height + hidden + 20 });
  await form.evaluate((element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      node.scrollTop = 0;
    }
  });
  const complete = page.getByRole('button', { name: 'Complete' });
  const size = page.viewportSize();
  for (const [what, box] of [['form', await form.boundingBox()], ['Complete button', await complete.boundingBox()]]) {
    if (!box || box.y < 0 || box.y + box.height > size.height) {
      throw new Error(`the ${what} is not wholly in the window (${JSON.stringify(box)}, window ${JSON.stringify(size)})`);
    }
  }
  await page.screenshot({ path: screenshot });
  log(`screenshot ${screenshot}`);

  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'
      && /\/task\/[^/]+\/submit-form$/.test(new URL(response.url()).pathname)),
    complete.click(),
  ]);
  if (answer.status() !== 204) {
    throw new Error(`Tasklist's submit-form answered ${answer.status()}: ${await answer.text()}`);
  }
  // Tasklist removes a completed task from the list.
  await taskInList.first().waitFor({ state: 'detached' });
  if (!submitted) {
    throw new Error('Tasklist sent no submit-form request');
  }
  log('completed');
  console.log('RESULT ' + JSON.stringify({
    taskId,
    summary,
    shownNodes: shownNodes.map((text) => text.trim()),
    shownRequests: shownRequests.map((text) => text.trim()),
    cancelled: toCancel,
    submitted,
  }));
} catch (error) {
  await failed(page, screenshot, 'review-form', error);
} finally {
  await browser.close();
}
