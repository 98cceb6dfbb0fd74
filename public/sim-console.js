// The reference server's CTI simulator (`/sim/v1/calls`) as the demo pages
// drive it: the demo widget token from `/config.json`, one current call,
// and every outcome told through `say(text)`. Shared by demo.js and crm.js.
'use strict';

/// A console of the simulator on this page's origin; `say` shows a line of status.
window.SimConsole = function SimConsole(say) {
  let currentCall = null;
  const token = fetch('/config.json')
    .then((response) => (response.ok ? response.json() : {}))
    .then((config) => config.token ?? null)
    .catch(() => null);

  async function sim(path, body) {
    const headers = { 'Content-Type': 'application/json' };
    const bearer = await token;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const response = await fetch(path, {
      method: 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error?.message ?? answer.error ?? `HTTP ${response.status}`);
    return answer;
  }

  return {
    /// Starts `call` (the body of `POST /sim/v1/calls`); says `ringing(id)` or why it failed.
    async startCall(call, ringing) {
      try {
        const { id } = await sim('/sim/v1/calls', call);
        currentCall = id;
        say(ringing(id));
      } catch (error) {
        say(`The call could not start: ${error.message}`);
      }
    },

    /// Drives the current call: `connect`, `hold`, `resume` or `hangup`.
    async act(action) {
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
    },
  };
};
