// What the Lights-Out Cockpit plugins share: reading /api/v1 and the engine with the Cockpit session, and building
// the DOM from data (text, never HTML: node names, reasons and user ids are user input).

/** Lights-Out's own API beside the webapps: app-root is "<context>/camunda", the API "<context>/api/v1". */
const appRoot = document.querySelector('base')?.getAttribute('app-root') ?? '/camunda';
export const API = `${appRoot.substring(0, appRoot.lastIndexOf('/'))}/api/v1`;

/** GET as JSON with the browser's session; a failed answer becomes an Error carrying the problem's detail. */
export const getJson = async (url) => {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail ?? detail;
    } catch (notJson) {
      // keep the status text
    }
    const error = new Error(`${url}: HTTP ${response.status} ${detail}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
};

/** el('td', {class: 'x'}, 'text', otherNode): an element with attributes and text or element children. */
export const el = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) {
      element.setAttribute(name, value);
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
};

/** A link to a process instance in Cockpit, or the plain text when there is no instance. */
export const instanceLink = (processInstanceId, text) => (processInstanceId
  ? el('a', { href: `#/process-instance/${encodeURIComponent(processInstanceId)}/runtime`,
    title: `process instance ${processInstanceId}` }, text)
  : el('span', {}, text));

export const when = (instant) => (instant ? new Date(instant).toLocaleString() : '');

export const table = (headings, rows, empty) => (rows.length === 0
  ? el('p', { class: 'lightsout-empty' }, empty)
  : el('table', { class: 'cam-table lightsout-table' },
    el('thead', {}, el('tr', {}, headings.map((heading) => el('th', {}, heading)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((cell) => el('td', {}, cell)))))));

export const failure = (error) => el('p', { class: 'lightsout-error' }, `Could not read Lights-Out: ${error.message}`);
