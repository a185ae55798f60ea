// Cockpit dashboard "Fleet": nodes by power state, held nodes with why and since, queue depths with the running and
// waiting requests, and the evacuations under way; every request and evacuation links to its process instance.
// Reads /api/v1 with the Cockpit session (read-only).

import { API, el, failure, getJson, instanceLink, table, when } from './lightsout-api.js';

/** Queues read one by one: the deepest ones first, as many as a dashboard can show. */
const QUEUES_SHOWN = 50;
const WAITING_SHOWN = 5;

const allNodes = async () => {
  const nodes = [];
  for (let page = 0; ; page++) {
    const answer = await getJson(`${API}/nodes?page=${page}&size=500`);
    nodes.push(...answer.items);
    if (answer.items.length === 0 || nodes.length >= answer.total) {
      return nodes;
    }
  }
};

const evacuationsUnderWay = async () => {
  const lists = await Promise.all(['running', 'waiting-for-operator']
    .map((status) => getJson(`${API}/evacuations?status=${status}&size=100`)));
  return lists.flatMap((list) => list.items);
};

const tile = (label, value, kind) => el('div', { class: `lightsout-tile lightsout-tile-${kind}` },
  el('span', { class: 'lightsout-tile-value' }, value), el('span', { class: 'lightsout-tile-label' }, label));

const requestLink = (request) => instanceLink(request.processInstanceId,
  `${request.action} (${request.requestedBy}, ${when(request.requestedAt)})`);

const render = async (node) => {
  const [nodes, holds, evacuations] = await Promise.all([allNodes(), getJson(`${API}/holds`), evacuationsUnderWay()]);
  const byState = (state) => nodes.filter((n) => n.powerState === state).length;
  const queued = nodes.filter((n) => n.queueDepth > 0).sort((a, b) => b.queueDepth - a.queueDepth);
  const queues = await Promise.all(queued.slice(0, QUEUES_SHOWN)
    .map(async (n) => ({ node: n, requests: (await getJson(`${API}/nodes/${encodeURIComponent(n.id)}/queue`)).items })));
  const running = queues.flatMap((q) => q.requests).filter((r) => r.status === 'running').length;
  const waiting = queued.reduce((sum, n) => sum + n.queueDepth, 0) - running;

  const section = el('section', { class: 'lightsout-fleet' },
    el('div', { class: 'lightsout-tiles' },
      tile('nodes', nodes.length, 'all'), tile('on', byState('on'), 'on'), tile('off', byState('off'), 'off'),
      tile('unknown', byState('unknown'), 'unknown'), tile('held', holds.items.length, 'held'),
      tile('running requests', running, 'running'), tile('waiting requests', waiting, 'waiting'),
      tile('evacuations under way', evacuations.length, 'evacuation')),
    el('h4', {}, 'Held nodes'),
    table(['Node', 'Why', 'Since', 'Queue'], holds.items.map((n) => [
      el('strong', {}, n.id), n.hold.reason, when(n.hold.since), n.queueDepth]), 'No node is held.'),
    el('h4', {}, 'Queues', queued.length > QUEUES_SHOWN ? ` (the ${QUEUES_SHOWN} deepest of ${queued.length})` : ''),
    table(['Node', 'Power', 'Depth', 'Running', 'Waiting'], queues.map(({ node: n, requests }) => {
      const waitingOnes = requests.filter((r) => r.status !== 'running');
      return [el('strong', {}, n.id), n.powerState + (n.hold ? ' (held)' : ''), n.queueDepth,
        requests.filter((r) => r.status === 'running').map(requestLink),
        el('span', {}, waitingOnes.slice(0, WAITING_SHOWN).flatMap((r, i) => [i > 0 ? ', ' : '', requestLink(r)]),
          waitingOnes.length > WAITING_SHOWN ? ` and ${waitingOnes.length - WAITING_SHOWN} more` : '')];
    }), 'Every queue is empty.'),
    el('h4', {}, 'Evacuations under way'),
    table(['Host', 'Status', 'Fencing', 'Requested'], evacuations.map((e) => [
      instanceLink(e.processInstanceId, e.hostId), e.status, e.fencing?.status ?? '',
      `${when(e.requestedAt)} by ${e.requestedBy}`]), 'No evacuation is under way.'));
  node.replaceChildren(section);
};

export default {
  id: 'lightsout.fleet',
  pluginPoint: 'cockpit.dashboard',
  priority: 100,
  render: (node) => {
    const refresh = el('button', { class: 'btn btn-default btn-sm lightsout-refresh', type: 'button' }, 'Refresh');
    const body = el('div', { class: 'lightsout-fleet-body' }, el('p', {}, 'Reading the fleet…'));
    const load = () => render(body).catch((error) => body.replaceChildren(failure(error)));
    refresh.addEventListener('click', load);
    node.replaceChildren(el('div', { class: 'lightsout-fleet-plugin' },
      el('h3', { class: 'section-title' }, 'Fleet ', refresh), body));
    load();
  },
  properties: { label: 'Fleet' },
};
