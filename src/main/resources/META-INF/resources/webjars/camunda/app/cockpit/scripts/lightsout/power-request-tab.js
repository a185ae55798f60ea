// Cockpit tab "Power request" on a power-change process instance: the request behind it (its business key) as
// /api/v1 tells it, with its place in the node's queue and links to the other requests of that queue.

import { API, el, failure, getJson, instanceLink, table, when } from './lightsout-api.js';

/** A term and its value; nothing when the value is empty (a request not started yet has no result). */
const field = (label, value) => (value === undefined || value === null || value === ''
  ? [] : [el('dt', {}, label), el('dd', {}, value)]);

const render = async (node, api, processInstanceId) => {
  const instance = await getJson(`${api.engineApi}/process-instance/${encodeURIComponent(processInstanceId)}`);
  if (!instance.definitionId.startsWith('power-change:')) {
    node.replaceChildren(el('p', { class: 'lightsout-empty' }, 'This instance is not a power change.'));
    return;
  }
  let request;
  try {
    request = await getJson(`${API}/power-requests/${encodeURIComponent(instance.businessKey)}`);
  } catch (error) {
    if (error.status !== 404) {
      throw error;
    }
    node.replaceChildren(el('p', { class: 'lightsout-empty' },
      `No power request ${instance.businessKey ?? ''} belongs to this instance.`));
    return;
  }
  const nodePath = `${API}/nodes/${encodeURIComponent(request.nodeId)}`;
  const [queue, nodeView] = await Promise.all([getJson(`${nodePath}/queue`).then((page) => page.items), getJson(nodePath)]);
  const position = request.position === undefined || request.position === null ? 'none (final)'
    : `${request.position} (${request.position === 0 ? 'nothing' : request.position} ahead of it)`;
  node.replaceChildren(el('div', { class: 'lightsout-request' },
    el('dl', { class: 'lightsout-fields' },
      field('Node', el('strong', {}, request.nodeId)), field('Action', el('strong', {}, request.action)),
      field('Status', el('span', { class: `lightsout-status lightsout-status-${request.status}` }, request.status)),
      field('Position in queue', position),
      field('Node held', nodeView.hold ? `${nodeView.hold.reason} (since ${when(nodeView.hold.since)})` : null),
      field('Requested by', request.requestedBy),
      field('Requested at', when(request.requestedAt)), field('Started at', when(request.startedAt)),
      field('Finished at', when(request.finishedAt)), field('Attempts', request.attempts),
      field('Result', request.result), field('Reason', request.reason),
      field('Merged into', request.mergedInto), field('Request id', request.id)),
    el('h4', {}, `Queue of ${request.nodeId}`),
    table(['Position', 'Action', 'Status', 'Requested by', 'Requested at'], queue.map((r) => [
      r.position, instanceLink(r.id === request.id ? null : r.processInstanceId, r.action + (r.id === request.id
        ? ' (this one)' : '')), r.status, r.requestedBy, when(r.requestedAt)]), 'The queue is empty.')));
};

export default {
  id: 'lightsout.powerRequest',
  pluginPoint: 'cockpit.processInstance.runtime.tab',
  priority: 100,
  render: (node, { api, processInstanceId }) => {
    node.replaceChildren(el('p', {}, 'Reading the power request…'));
    render(node, api, processInstanceId).catch((error) => node.replaceChildren(failure(error)));
  },
  properties: { label: 'Power request' },
};
