// cil.js: the b+s Connects Integration API (`window.cil`) in the widget's
// page, and the widget's end of the iframe handshake with cil-host.js.
//
// The wasm knows nothing of callbacks or Promises: it dispatches `wrapup:cil`
// events and answers `wrapup:cil-request`s with `wrapup:cil-reply`s
// (docs/cil-protocol.md). This file turns that into the spec's `cil` object
// (public/cil.d.ts). Loaded as a classic script before the wasm boots, so the
// object exists before any event; requests made before `wrapup:ready` wait.
//
// Inside an iframe it also carries the protocol over a MessagePort to the
// embedding CRM page, once that page has connected from an origin listed in
// `allowedOrigins` of the widget's config.json. When the browser blocks
// storage in the frame, the widget's storage is kept by that page instead
// (cil-storage.js).
(function () {
  'use strict';

  if (window.cil && window.cil.__wrapupGadget) return;

  var gadget = window.WrapupGadget;
  if (!gadget || typeof gadget.createCil !== 'function' || typeof gadget.createStorageRelay !== 'function') {
    console.error('wrapup-gadget: load cil-core.js and cil-storage.js before cil.js');
    return;
  }
  var createCil = gadget.createCil;
  var errorEvent = gadget.errorEvent;

  var root = document.documentElement;

  // The wasm end: DOM events on `window`. Requests and CTI events wait for
  // `wrapup:ready` (or the flag it sets, if this script ran late).
  var ready = root.dataset.wrapupReady === 'true';
  var nextId = 1;
  var pending = new Map();
  var waiting = [];

  function toWasm(type, detail) {
    window.dispatchEvent(new CustomEvent(type, { detail: detail }));
  }

  function whenReady(type, detail) {
    if (ready) toWasm(type, detail);
    else waiting.push([type, detail]);
  }

  function send(request) {
    return new Promise(function (resolve) {
      var id = nextId;
      nextId += 1;
      pending.set(id, resolve);
      whenReady('wrapup:cil-request', { id: id, request: request });
    });
  }

  window.addEventListener('wrapup:ready', function () {
    if (ready) return;
    ready = true;
    waiting.splice(0).forEach(function (message) {
      toWasm(message[0], message[1]);
    });
  });

  window.addEventListener('wrapup:cil-reply', function (event) {
    var reply = event.detail;
    var resolve = reply && pending.get(reply.id);
    if (!resolve) return;
    pending.delete(reply.id);
    resolve(reply);
  });

  var page = createCil(send);
  window.cil = page.cil;

  // The iframe end: only when another page embeds this one.
  var framed = window.parent !== window;
  var relay = framed ? gadget.createStorageRelay(toWasm) : null;
  var host = framed ? createHostLink() : null;

  window.addEventListener('wrapup:cil', function (event) {
    page.dispatch(event.detail);
    if (host) host.forward(event.detail);
  });

  function createHostLink() {
    var allowedOrigins = null;
    var port = null;
    // Events before the host connects (a call already ringing, the agent's
    // state at login) are kept for it, up to a bound, so that it sees each once.
    var early = [];
    var EARLY_LIMIT = 100;
    var lastHeight = 0;

    // Fetched on the first connect message, relative to this page so a
    // widget served under a path finds its own file.
    function loadAllowedOrigins() {
      if (!allowedOrigins) {
        allowedOrigins = fetch('config.json', { credentials: 'same-origin', cache: 'no-store' })
          .then(function (response) {
            return response.ok ? response.json() : {};
          })
          .then(function (config) {
            var origins = config && Array.isArray(config.allowedOrigins) ? config.allowedOrigins : [];
            return origins.filter(function (origin) {
              return typeof origin === 'string';
            });
          })
          .catch(function () {
            return [];
          });
      }
      return allowedOrigins;
    }

    function toHost(message) {
      if (port) port.postMessage(message);
    }

    // Only JS sees a malformed message from the host, so only JS can report
    // it: as an `error` event to the host's onError, and on the console.
    function reportToHost(message) {
      console.error('wrapup-gadget: ' + message);
      toHost({ type: 'event', data: errorEvent('', message) });
    }

    function onHostMessage(event) {
      var message = event.data;
      var from = event.target;
      if (message && message.type === 'request') {
        var request = message.request;
        if (typeof message.id !== 'number' || !request || typeof request !== 'object' || typeof request.request !== 'string') {
          var problem = 'a request from the host page was malformed: it needs a numeric `id` and a `request` object naming the request';
          if (typeof message.id === 'number') {
            from.postMessage({ type: 'reply', id: message.id, ok: false, error: { requestId: '', message: problem } });
          }
          reportToHost(problem);
          return;
        }
        send(request).then(function (reply) {
          var answer = { type: 'reply', id: message.id, ok: reply.ok === true };
          if (answer.ok) answer.value = reply.value;
          else answer.error = reply.error;
          // On the port the request came on: after a reconnection the host
          // still listens on the earlier one for what it asked there.
          from.postMessage(answer);
        });
      } else if (message && message.type === 'cti-event') {
        var cti = message.event;
        if (!cti || typeof cti !== 'object' || typeof cti.event !== 'string') {
          reportToHost('a cti-event from the host page was malformed: `event` must be a b+s event object with an `event` name');
          return;
        }
        whenReady('wrapup:cti-event', JSON.stringify(cti));
      } else if (message && message.type === 'storage') {
        if (!relay || !relay.loaded(message.items, message.session)) {
          reportToHost('a storage message from the host page was unexpected or malformed: `items` and `session` must map keys to strings');
        }
      } else if (message && (message.type === 'lock' || message.type === 'lock-lost')) {
        if (!relay || !relay.lockAnswered(message)) {
          reportToHost('a ' + message.type + ' message from the host page names no lock this frame asked for, or is malformed');
        }
      } else {
        reportToHost('a message from the host page has an unknown type: ' + JSON.stringify(message && message.type));
      }
    }

    function measureHeight() {
      // Before the widget mounts the page is empty; a 0 would collapse the frame.
      var px = Math.ceil(root.getBoundingClientRect().height);
      if (px > 0 && px !== lastHeight) {
        lastHeight = px;
        toHost({ type: 'height', px: px });
      }
    }

    function connected(newPort, origin) {
      var first = port === null;
      // The latest connection wins (the host connects again when it sees the
      // frame load); earlier ports stay open for the replies they await.
      port = newPort;
      port.onmessage = onHostMessage;
      port.postMessage({ type: 'connected' });
      if (first) {
        early.splice(0).forEach(function (data) {
          toHost({ type: 'event', data: data });
        });
        if (typeof ResizeObserver === 'function') new ResizeObserver(measureHeight).observe(root);
      }
      lastHeight = 0;
      measureHeight();
      if (relay) relay.connected(port, toHost);
      console.info('wrapup-gadget: connected to the page at ' + origin);
    }

    var latestConnect = null;
    window.addEventListener('message', function (event) {
      var data = event.data;
      if (!data || typeof data !== 'object' || data.type !== 'wrapup-gadget:connect') return;
      var newPort = event.ports && event.ports[0];
      if (event.source !== window.parent) {
        console.error('wrapup-gadget: ignored a connect message from ' + event.origin + ': only the page embedding the widget may connect');
        if (newPort) newPort.close();
        return;
      }
      if (data.version !== 1 || !newPort) {
        console.error('wrapup-gadget: ignored a connect message from ' + event.origin + ': it needs version 1 and a MessagePort (use the cil-host.js of this widget)');
        if (newPort) newPort.close();
        if (relay) relay.refused();
        return;
      }
      var origin = event.origin;
      // While config.json loads, the host repeats its message: only the
      // latest is answered, so the host does not end up with several ports.
      if (latestConnect) latestConnect.close();
      latestConnect = newPort;
      loadAllowedOrigins().then(function (origins) {
        if (latestConnect !== newPort) return;
        latestConnect = null;
        // The widget's own origin may embed it anyway (frame-ancestors 'self').
        if (origin !== location.origin && origins.indexOf(origin) === -1) {
          console.error(
            'wrapup-gadget: refused the connection from ' + origin + ': it is not in allowedOrigins of ' +
              'config.json (the widget server\'s --embed-origin)'
          );
          newPort.close();
          if (relay) relay.refused();
          return;
        }
        connected(newPort, origin);
      });
    });

    return {
      forward: function (data) {
        if (port) toHost({ type: 'event', data: data });
        else if (early.length < EARLY_LIMIT) early.push(data);
      },
    };
  }
})();
