// The demo CRM page: a stand-in for the integrator's page. It embeds the
// widget from another origin (http://localhost:<port>/crm.html shows
// http://127.0.0.1:<port>/, or the `?widget=` URL), connects with
// cil-host.js, runs the b+s Connects samples as printed in the spec, logs
// every callback as text, and calls requests from its buttons.
'use strict';

const DEMO_AGENT = '123412345678567890ab90abcdefcdef';
const CODES = ['Billing Issue', 'Store Issue'];
const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

let nextRequest = 1;

/// The widget's URL: `?widget=` as given, else this server under the other
/// name of the loopback address, so that the page and the widget are two origins.
function widgetUrl() {
  const given = params.get('widget');
  const url = given ? new URL(given, location.href) : new URL('/', location.href);
  if (!given) {
    const other = { localhost: '127.0.0.1', '127.0.0.1': 'localhost' }[url.hostname];
    if (other) url.hostname = other;
  }
  if (!url.searchParams.has('agent')) url.searchParams.set('agent', params.get('agent') ?? DEMO_AGENT);
  if (!url.searchParams.has('lang') && params.has('lang')) url.searchParams.set('lang', params.get('lang'));
  return url;
}

const widget = widgetUrl();
const agent = widget.searchParams.get('agent');

// ---- The log: every entry is text (textContent), never HTML. ----

function log(kind, title, detail, data) {
  const item = document.createElement('li');
  item.className = `crm-log__entry crm-log__entry--${kind}`;
  item.dataset.kind = kind;
  item.dataset.title = title;
  const head = document.createElement('div');
  head.className = 'crm-log__head';
  const time = document.createElement('time');
  time.className = 'crm-log__time';
  time.textContent = new Date().toLocaleTimeString();
  const name = document.createElement('span');
  name.className = 'crm-log__name';
  name.textContent = title;
  const summary = document.createElement('span');
  summary.className = 'crm-log__detail';
  summary.textContent = detail;
  head.append(time, name, summary);
  item.append(head);
  if (data !== undefined) {
    const more = document.createElement('details');
    const label = document.createElement('summary');
    label.textContent = 'data';
    const json = document.createElement('pre');
    json.textContent = JSON.stringify(data, null, 2);
    more.append(label, json);
    item.append(more);
  }
  $('log').prepend(item);
}

function describeEvent(data) {
  if (!data || typeof data !== 'object') return '';
  if (data.event === 'error') return `${data.requestId ? `request ${data.requestId}: ` : ''}${data.message ?? ''}`;
  if (data.event === 'agentStateChange') return `${data.oldState ?? '?'} → ${data.newState ?? '?'}`;
  if (data.event === 'queueDataUpdate') return `${data.dataState ?? ''}, ${data.queueData?.length ?? 0} queue(s)`;
  const reason = data.ctiData?.wrapUpReason ? `, reason ${data.ctiData.wrapUpReason}` : '';
  return `${data.id ?? ''} ${data.state ?? ''}${reason}`.trim();
}

// ---- Connecting: cil-host.js also sets window.cil, which the samples use. ----

$('page-origin').textContent = location.origin;
$('widget-origin').textContent = widget.origin;
const frame = $('widget');
frame.src = widget.href;
const connection = WrapupGadget.connect(frame, {
  origin: widget.origin,
  onWarning: (message) => log('warning', 'warning', message),
});
connection.connected.then(() => {
  $('connection').dataset.state = 'connected';
  $('connection').textContent = `Connected to the widget at ${widget.origin}.`;
});
// The widget has not answered for 5 s: why, in the page (it may still answer).
connection.onError((error) => {
  if ($('connection').dataset.state === 'connected') return;
  if (error.requestId !== '' || !error.message.startsWith(`the widget at ${widget.origin} has not answered`)) return;
  $('connection').dataset.state = 'unanswered';
  $('connection').textContent = `Not connected: ${error.message}`;
});

// ---- The spec's samples, as printed. ----

cil.onWorkitemCreate((data) => {
console.warn(`message: onWorkitemCreate, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemConnect((data) => {
console.warn(`message: onWorkitemConnect, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemPause((data) => {
console.warn(`message: onWorkitemPause, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemResume((data) => {
console.warn(`message: onWorkitemResume, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemWrapup((data) => {
console.warn(`message: onWorkitemWrapup, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemEnd((data) => {
console.warn(`message: onWorkitemEnd, data: ${JSON.stringify(data)}`);
});
cil.onCallVariableChanged((data) => {
console.warn(`message: onCallVariableChanged, data: ${JSON.stringify(data)}`);
});
cil.onWrapupDataChanged((data) => {
console.warn(`message: onWrapupDataChanged, data: ${JSON.stringify(data)}`);
});
cil.onAgentStateChange((data) => {
console.warn(`message: onAgentStateChange, data: ${JSON.stringify(data)}`);
});
cil.onQueueDataUpdate((data) => {
console.warn(`message: onQueueDataUpdate, data: ${JSON.stringify(data)}`);
});
cil.onError((error) => {
console.warn(`message: onError data: ${JSON.stringify(error)}`);
});

// ---- The visible log of every callback. ----

const CALLBACKS = [
  'onWorkitemCreate',
  'onWorkitemConnect',
  'onWorkitemPause',
  'onWorkitemResume',
  'onWorkitemWrapup',
  'onWorkitemEnd',
  'onCallVariableChanged',
  'onWrapupDataChanged',
  'onAgentStateChange',
  'onQueueDataUpdate',
  'onError',
];
for (const name of CALLBACKS) {
  cil[name]((data) => {
    log(data?.event === 'error' ? 'error' : 'event', name, describeEvent(data), data);
    if (name.startsWith('onWorkitem') && data?.id) $('workitem-id').value = data.id;
  });
}

// ---- Requests from the buttons. ----

function requestId() {
  const id = `crm-${nextRequest}`;
  nextRequest += 1;
  return id;
}

const REQUESTS = {
  setWrapupReason: () => cil.setWrapupReason('voice', $('workitem-id').value, $('wrapup-reason').value, requestId()),
  getWrapupState: () => cil.getWrapupState($('workitem-id').value),
  extendWrapup: () => cil.extendWrapup($('workitem-id').value, 30, requestId()),
  submitWrapup: () => cil.submitWrapup($('workitem-id').value, requestId()),
  getChannel: () => cil.getChannel('voice'),
  getReasonCodeList: () => cil.getReasonCodeList('voice', 'Wrapup'),
  setAgentStateReady: () => cil.setAgentState('voice', 'Ready', undefined, requestId()),
};

async function callRequest(name) {
  try {
    const value = await REQUESTS[name]();
    log('answer', name, value === undefined ? 'done' : 'answered', value);
  } catch (error) {
    log('error', name, `refused${error.requestId ? ` (${error.requestId})` : ''}: ${error.message}`);
  }
}

for (const button of document.querySelectorAll('[data-request]')) {
  button.addEventListener('click', () => callRequest(button.dataset.request));
}
$('clear-log').addEventListener('click', () => $('log').replaceChildren());

// ---- The CTI simulator of the reference server (this page's origin). ----

const simulator = SimConsole((text) => {
  $('sim-status').textContent = text;
});

$('simulate-call').addEventListener('click', () =>
  simulator.startCall(
    {
      agent_id: agent,
      ani: '+4930123456',
      direction: 'Incoming',
      queue: 'Customer Service',
      wrapup: { duration: 120, allowed_codes: CODES, default_code: CODES[0], enable_codes: true },
    },
    (id) => `Call ${id} is ringing: answer it.`,
  ),
);
for (const button of document.querySelectorAll('[data-action]')) {
  button.addEventListener('click', () => simulator.act(button.dataset.action));
}
