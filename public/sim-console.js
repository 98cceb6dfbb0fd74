// The reference server's CTI simulator (`/sim/v1/calls`) as the demo pages
// drive it: the demo widget token from `/config.json`, one current call,
// and every outcome told through `say(text)`, in words a person reads (the
// simulator's state names stay in its API). Shared by demo.js and crm.js.
'use strict';

/// A call's state (the b+s workitem state) as a person says it.
const CALL_STATES = {
  Initiated: 'dialling',
  Offered: 'ringing',
  Active: 'connected',
  Paused: 'on hold',
  Wrapup: 'in wrap-up',
  Ended: 'over',
  EndedAbandoned: 'over: the caller hung up before it was answered',
  EndedTransferred: 'transferred',
  EndedUnknown: 'over',
};

/// Each action of the simulator: its button, and what it does to a call.
const ACTIONS = {
  connect: ['Answer', 'answered'],
  hold: ['Hold', 'put on hold'],
  resume: ['Resume', 'resumed'],
  hangup: ['Hang up', 'hung up'],
};

/// A console of the simulator on this page's origin; `say` shows a line of status.
window.SimConsole = function SimConsole(say) {
  let currentCall = null;
  const token = fetch('/config.json')
    .then((response) => (response.ok ? response.json() : {}))
    .then((config) => config.token ?? null)
    .catch(() => null);

  async function sim(method, path, body) {
    const headers = { 'Content-Type': 'application/json' };
    const bearer = await token;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(answer.error?.message ?? answer.error ?? `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return answer;
  }

  return {
    /// Starts `call` (the body of `POST /sim/v1/calls`); says `ringing(id)` or why it failed.
    async startCall(call, ringing) {
      try {
        const { id } = await sim('POST', '/sim/v1/calls', call);
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
      const id = currentCall;
      const [button, done] = ACTIONS[action];
      try {
        const workitem = await sim('POST', `/sim/v1/calls/${id}/${action}`);
        say(`Call ${id} is ${SimConsole.callState(workitem.state)}.`);
      } catch (error) {
        // 409: the call is in a state the action does not apply to.
        const call = error.status === 409 ? await sim('GET', `/sim/v1/calls/${id}`).catch(() => null) : null;
        say(
          call
            ? `Call ${id} is ${SimConsole.callState(call.workitem.state)}: it cannot be ${done} now.`
            : `${button} did not work: ${error.message}`,
        );
      }
    },
  };
};

/// `state` (a b+s workitem state) in words.
window.SimConsole.callState = (state) => CALL_STATES[state] ?? 'in an unknown state';
