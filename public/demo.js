// The demo page: a CTI simulator console beside the widget (in an iframe).
// It talks to the reference server's simulator (`/sim/v1/calls`) with the
// demo widget token from `/config.json`, and logs the widget's `wrapup:cil`
// events. No inline script, so the page works under a strict CSP.
'use strict';

const DEMO_AGENT = '123412345678567890ab90abcdefcdef';
const CODES = ['Billing Issue', 'Store Issue'];

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
let token = null;
let currentCall = null;

function say(text) {
  $('status').textContent = text;
}

async function loadToken() {
  try {
    const response = await fetch('/config.json');
    if (response.ok) token = (await response.json()).token ?? null;
  } catch (_) {
    token = null;
  }
}

async function sim(path, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, {
    method: 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
  return answer;
}

function widgetUrl() {
  const query = new URLSearchParams({ agent: $('agent').value, lang: $('lang').value });
  return `/?${query}`;
}

function loadWidget() {
  const frame = $('widget');
  frame.src = widgetUrl();
  frame.addEventListener(
    'load',
    () => {
      frame.contentWindow.addEventListener('wrapup:cil', (event) => {
        const item = document.createElement('li');
        const detail = event.detail ?? {};
        item.textContent = `${new Date().toLocaleTimeString()} ${detail.event ?? '?'} ${detail.id ?? ''}`;
        $('log').prepend(item);
      });
    },
    { once: true },
  );
}

async function simulateCall(event) {
  event.preventDefault();
  const seconds = Number($('duration').value);
  try {
    const { id } = await sim('/sim/v1/calls', {
      agent_id: $('agent').value,
      ani: $('ani').value,
      direction: 'Incoming',
      queue: 'Customer Service',
      auto: $('auto').checked,
      wrapup: {
        duration: seconds > 0 ? seconds : null,
        allowed_codes: CODES,
        default_code: CODES[0],
        enable_codes: true,
      },
    });
    currentCall = id;
    say(`Call ${id} is ringing${$('auto').checked ? ' and runs by itself' : ': answer it'}.`);
  } catch (error) {
    say(`The call could not start: ${error.message}`);
  }
}

async function act(action) {
  if (!currentCall) {
    say('Simulate a call first.');
    return;
  }
  try {
    const workitem = await sim(`/sim/v1/calls/${currentCall}/${action}`);
    say(`Call ${currentCall}: ${workitem.state}.`);
  } catch (error) {
    say(`${action}: ${error.message}`);
  }
}

/// The demo CRM page must be on another origin than the widget it embeds:
/// the server allows `localhost` to embed the widget at `127.0.0.1`.
function linkToCrm() {
  const url = new URL('/crm.html', location.href);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  url.searchParams.set('agent', $('agent').value);
  $('crm-link').href = url.href;
}

async function main() {
  $('agent').value = params.get('agent') ?? DEMO_AGENT;
  $('lang').value = params.get('lang') === 'de' ? 'de' : 'en';
  linkToCrm();
  await loadToken();
  loadWidget();
  $('call-form').addEventListener('submit', simulateCall);
  $('lang').addEventListener('change', loadWidget);
  $('agent').addEventListener('change', loadWidget);
  $('agent').addEventListener('change', linkToCrm);
  for (const button of document.querySelectorAll('[data-action]')) {
    button.addEventListener('click', () => act(button.dataset.action));
  }
}

main();
