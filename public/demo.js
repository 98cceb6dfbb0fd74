// The demo page: a CTI simulator console (sim-console.js) beside the widget
// (in an iframe); it logs the widget's `wrapup:cil` events. No inline script,
// so the page works under a strict CSP.
'use strict';

const DEMO_AGENT = '123412345678567890ab90abcdefcdef';
const CODES = ['Billing Issue', 'Store Issue'];

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const simulator = SimConsole((text) => {
  $('status').textContent = text;
});

function widgetUrl() {
  const query = new URLSearchParams({ agent: $('agent').value, lang: $('lang').value });
  return `/?${query}`;
}

function loadWidget() {
  $('widget').src = widgetUrl();
}

/// The agent's state (b+s) as a person says it.
const AGENT_STATES = {
  Ready: 'ready',
  NotReady: 'not ready',
  Active: 'on a call',
  Wrapup: 'wrapping up',
  Logout: 'logged out',
  Offline: 'offline',
};

/// What happened to the call, by the name of its event.
const CALL_EVENTS = {
  workitemCreate: (call) => `is ${SimConsole.callState(call.state)}`,
  workitemConnect: () => 'is answered',
  workitemPause: () => 'is on hold',
  workitemResume: () => 'is resumed',
  workitemWrapup: () => 'is in wrap-up',
  workitemEnd: () => 'has ended',
  callVariableChanged: () => 'has new call data',
  wrapupDataChanged: (call) =>
    call.ctiData?.wrapUpReason ? `has the wrap-up reason “${call.ctiData.wrapUpReason}”` : 'has no wrap-up reason',
};

/// A widget event in words; its name follows in the log, for integrators.
function describeEvent(detail) {
  const call = CALL_EVENTS[detail.event];
  if (call) return `Call with ${detail.ani || 'an unknown caller'} ${call(detail)}`;
  if (detail.event === 'agentStateChange') {
    const reason = detail.newReasonCodeLabel ? ` (${detail.newReasonCodeLabel})` : '';
    return `The agent is ${AGENT_STATES[detail.newState] ?? 'in an unknown state'}${reason}`;
  }
  if (detail.event === 'queueDataUpdate') return 'The queue statistics changed';
  if (detail.event === 'error') return `Error: ${detail.message}`;
  return 'An event the demo does not know';
}

function logEvent(event) {
  const detail = event.detail ?? {};
  const item = document.createElement('li');
  const name = document.createElement('code');
  name.className = 'demo-log__event';
  name.textContent = detail.event ?? '?';
  item.append(`${new Date().toLocaleTimeString()} ${describeEvent(detail)} `, name);
  $('log').prepend(item);
}

/// Each load of the frame is a new document, whose window has none of the
/// listeners of the one before: the first load, and every reload ("Use it
/// here", the agent reloading the widget, another language or agent). The log
/// listens anew each time, or it would stay empty after the first reload.
function listenToWidget() {
  const frame = $('widget');
  frame.addEventListener('load', () => {
    frame.contentWindow.addEventListener('wrapup:cil', logEvent);
  });
}

function simulateCall(event) {
  event.preventDefault();
  const seconds = Number($('duration').value);
  const auto = $('auto').checked;
  simulator.startCall(
    {
      agent_id: $('agent').value,
      ani: $('ani').value,
      direction: 'Incoming',
      queue: 'Customer Service',
      auto,
      wrapup: {
        duration: seconds > 0 ? seconds : null,
        allowed_codes: CODES,
        default_code: CODES[0],
        enable_codes: true,
      },
    },
    (id) => `Call ${id} is ringing${auto ? ' and runs by itself' : ': answer it'}.`,
  );
}

/// The demo CRM page must be on another origin than the widget it embeds:
/// the server allows `localhost` to embed the widget at `127.0.0.1`.
function linkToCrm() {
  const url = new URL('/crm.html', location.href);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  url.searchParams.set('agent', $('agent').value);
  $('crm-link').href = url.href;
}

function main() {
  $('agent').value = params.get('agent') ?? DEMO_AGENT;
  $('lang').value = params.get('lang') === 'de' ? 'de' : 'en';
  linkToCrm();
  listenToWidget();
  loadWidget();
  $('call-form').addEventListener('submit', simulateCall);
  $('lang').addEventListener('change', loadWidget);
  $('agent').addEventListener('change', loadWidget);
  $('agent').addEventListener('change', linkToCrm);
  for (const button of document.querySelectorAll('[data-action]')) {
    button.addEventListener('click', () => simulator.act(button.dataset.action));
  }
}

main();
