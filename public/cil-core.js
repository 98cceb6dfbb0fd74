// cil-core.js: the `cil` object of the b+s Connects Integration API over a
// transport, shared by cil.js (the widget's own page) and cil-host.js (a CRM
// page embedding the widget). Load it before either of them:
//
//   <script src="https://widget.example.com/cil-core.js"></script>
//   <script src="https://widget.example.com/cil-host.js"></script>
//
// It adds `createCil` to the `WrapupGadget` global; integrators use the
// `cil` object it makes, never `createCil` itself.
(function () {
  'use strict';

  var gadget = window.WrapupGadget || {};
  if (gadget.createCil) return;

  // The version of the Integration API the widget speaks, which every event
  // says: `wrapup_core::bs::API_VERSION` in Rust. The wasm writes it into its
  // own events; this copy is for the `error` events only JS can see, and
  // tests/e2e/cil.spec.ts checks that it is the wasm's.
  var API_VERSION = '1.0';

  // An `error` event of the spec's shape: what the widget or this page
  // makes itself when a request fails or something goes wrong.
  function errorEvent(requestId, message) {
    return { event: 'error', version: API_VERSION, requestId: requestId, message: message };
  }

  // The `cil` object over a transport: `send(request)` returns a Promise of
  // the protocol's reply (`{ok, value}` or `{ok: false, error}`);
  // `dispatch(event)` hands a b+s event to the callbacks registered for it.
  var CALLBACKS = {
    workitemCreate: 'onWorkitemCreate',
    workitemConnect: 'onWorkitemConnect',
    workitemPause: 'onWorkitemPause',
    workitemResume: 'onWorkitemResume',
    workitemWrapup: 'onWorkitemWrapup',
    workitemEnd: 'onWorkitemEnd',
    callVariableChanged: 'onCallVariableChanged',
    wrapupDataChanged: 'onWrapupDataChanged',
    agentStateChange: 'onAgentStateChange',
    queueDataUpdate: 'onQueueDataUpdate',
    error: 'onError',
  };

  // Each request's positional parameters, in the spec's order, become the
  // fields of the request object; `true` marks requests whose Promise "has
  // no value" in the spec.
  var REQUESTS = {
    setAgentState: [['channelId', 'state', 'reasonCode', 'requestId'], true],
    directTransfer: [['channelId', 'address', 'workitemId', 'requestId'], true],
    singleStepConference: [['channelId', 'address', 'workitemId', 'requestId'], true],
    dialOrConsult: [['channelId', 'address', 'requestId'], true],
    getReasonCodeList: [['channelId', 'reasonType'], false],
    getChannel: [['channelId'], false],
    sendDtmf: [['dtmf', 'requestId'], true],
    isSendDtmfEnabled: [[], false],
    updateWorkitemData: [['channelId', 'workitemId', 'updatedData', 'requestId'], true],
    isUpdateWorkitemDataEnabled: [['channelId', 'workitemId'], false],
    setWrapupReason: [['channelId', 'workitemId', 'wrapUpReason', 'requestId'], true],
    getWrapupState: [['workitemId'], false],
    submitWrapup: [['workitemId', 'requestId'], true],
    extendWrapup: [['workitemId', 'seconds', 'requestId'], true],
  };

  function describe(error) {
    if (error && typeof error.message === 'string') return error.message;
    try {
      return String(error);
    } catch (_) {
      return 'an exception that cannot be shown';
    }
  }

  function createCil(send, extra) {
    var listeners = {};
    Object.keys(CALLBACKS).forEach(function (event) {
      listeners[event] = [];
    });

    // A callback that throws must not keep the others from their event; the
    // integrator learns of it through onError (unless an onError callback
    // threw, which only the console can report without looping).
    function call(event, entry, data) {
      try {
        entry.callback.call(undefined, data);
      } catch (error) {
        var message = 'cil.' + CALLBACKS[event] + ' callback threw: ' + describe(error);
        console.error('wrapup-gadget: ' + message, error);
        if (event !== 'error') dispatch(errorEvent('', message));
      }
    }

    function dispatch(data) {
      var event = data && typeof data === 'object' ? data.event : undefined;
      if (!Object.prototype.hasOwnProperty.call(CALLBACKS, event)) return;
      // A copy: callbacks may unsubscribe (or subscribe) while this runs.
      listeners[event].slice().forEach(function (entry) {
        if (entry.active) call(event, entry, data);
      });
    }

    var cil = {};
    Object.keys(CALLBACKS).forEach(function (event) {
      var name = CALLBACKS[event];
      cil[name] = function (callback) {
        if (typeof callback !== 'function') {
          throw new TypeError('cil.' + name + ' needs a function, got ' + typeof callback);
        }
        var entry = { callback: callback, active: true };
        listeners[event].push(entry);
        return function unsubscribe() {
          if (!entry.active) return;
          entry.active = false;
          listeners[event].splice(listeners[event].indexOf(entry), 1);
        };
      };
    });

    Object.keys(REQUESTS).forEach(function (name) {
      var fields = REQUESTS[name][0];
      var hasNoValue = REQUESTS[name][1];
      cil[name] = function () {
        var request = { request: name };
        for (var index = 0; index < fields.length; index += 1) {
          // Left out, not null: the wasm reads an absent field as "not given".
          if (arguments[index] !== undefined) request[fields[index]] = arguments[index];
        }
        return send(request).then(function (reply) {
          if (reply.ok) return hasNoValue ? undefined : reply.value;
          var refusal = reply.error || {};
          var error = new Error(refusal.message || name + ' failed');
          error.name = 'CilRequestError';
          error.request = name;
          error.requestId = typeof refusal.requestId === 'string' ? refusal.requestId : '';
          throw error;
        });
      };
    });

    Object.keys(extra || {}).forEach(function (key) {
      cil[key] = extra[key];
    });
    Object.defineProperty(cil, '__wrapupGadget', { value: true });
    return { cil: Object.freeze(cil), dispatch: dispatch };
  }

  window.WrapupGadget = { createCil: createCil, describe: describe, errorEvent: errorEvent };
})();
