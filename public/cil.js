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
// (createStorageRelay).
(function () {
  'use strict';

  if (window.cil && window.cil.__wrapupGadget) return;

  var gadget = window.WrapupGadget;
  if (!gadget || typeof gadget.createCil !== 'function') {
    console.error('wrapup-gadget: load cil-core.js before cil.js');
    return;
  }
  var createCil = gadget.createCil;
  var describe = gadget.describe;
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
  var relay = framed ? createStorageRelay() : null;
  var host = framed ? createHostLink() : null;

  window.addEventListener('wrapup:cil', function (event) {
    page.dispatch(event.detail);
    if (host) host.forward(event.detail);
  });

  // A frame whose storage the browser blocks (third-party storage) would
  // lose the agent's notes in progress and unsent wrap-ups on every reload.
  // There, `window.localStorage` becomes a copy in memory of what the host
  // page keeps for the widget: loaded from the host when it connects, every
  // change sent to it; so does `window.sessionStorage` where the browser
  // blocks it too (the tab's marks of agent_lock.rs, kept in the host's
  // sessionStorage). The wasm waits for `window.wrapupStorageReady` before
  // it reads storage; it resolves to true once the host's copy is in, and to
  // false when the embedding page's handshake is refused, or after
  // STORAGE_WAIT_MS without a host (a frame embedded without cil-host.js):
  // the widget then starts with nothing stored and tells the agent that a
  // reload loses what it keeps. Where the browser refuses this frame Web
  // Locks as well, the host whose copy is in holds the agent's lock for it:
  // `window.wrapupHostLocks` (createHostLocks); a host that connects after
  // the widget started without one holds it from then on, and
  // `window.wrapupHostLocksLate` resolves to tell the widget to ask for it.
  // What the widget stored meanwhile goes to such a host only once the
  // host's answer says no other tab of it is live for the agent (then
  // `wrapup:storage-kept` tells the widget it is kept): a live tab keeps its
  // drafts and outbox in the same keys, and reads them only as it loads, so
  // they would be lost. Nor may it replace what the host kept from an
  // earlier visit (an unsent wrap-up, a draft): the widget first takes the
  // host's copy in, the keys it has none of as they are, and merges those
  // both have (`wrapup:storage-merge`, src/runtime/host_copy.rs); then all
  // of it goes to the host. Held elsewhere, the widget hands the host only
  // the keys it has none of (a draft of a wrap-up that tab has no notes
  // for), which the widget finds when the agent uses it here; in a key both
  // have, the live tab's stays. Returns null where storage works, or cannot
  // be replaced.
  function createStorageRelay() {
    var STORAGE_WAIT_MS = 3000;
    var blocked = blockedStorage('localStorage');
    if (blocked === null) return null;

    var areas = { local: new Map(), session: new Map() };
    var port = null;
    // Whether changes to `localStorage` go to the host: from its copy on,
    // or, for a host that connects late, from its answer to the lock on
    // when no other tab is live. The frame's `sessionStorage` is the host
    // tab's own, and always goes.
    var keeping = false;
    var awaitingLock = false;
    // Whether the host's copy was asked for, to be merged with the widget's.
    var merging = false;
    var settled = false;
    var settle;
    var ready = new Promise(function (resolve) {
      settle = function (kept) {
        settled = true;
        clearTimeout(timer);
        resolve(kept);
      };
    });
    var timer = setTimeout(function () {
      console.warn(
        'wrapup-gadget: the browser blocks storage in this frame (' + blocked + ') and no page has ' +
          'connected with cil-host.js in ' + STORAGE_WAIT_MS / 1000 + ' s to keep it: the widget starts ' +
          'without the notes and unsent wrap-ups of an earlier visit, and keeps what it stores from now ' +
          'on in memory until a page connects.'
      );
      settle(false);
    }, STORAGE_WAIT_MS);

    function send(area, changes) {
      if (!port || (area === 'local' && !keeping)) return;
      var message = { type: 'storage-set', items: changes };
      if (area === 'session') message.area = area;
      port.postMessage(message);
    }
    function sendAll() {
      Object.keys(areas).forEach(function (area) {
        if (areas[area].size > 0) send(area, Object.fromEntries(areas[area]));
      });
    }

    try {
      standIn('localStorage', memoryStorage(areas.local, send.bind(null, 'local')));
    } catch (error) {
      clearTimeout(timer);
      console.warn(
        'wrapup-gadget: the browser blocks storage in this frame (' + blocked + '), so notes in ' +
          'progress and unsent wrap-ups do not survive a reload. Allow site data for ' + location.origin +
          ' in the browser, or serve the widget from the CRM\'s site.'
      );
      return null;
    }
    if (blockedStorage('sessionStorage') !== null) {
      try {
        standIn('sessionStorage', memoryStorage(areas.session, send.bind(null, 'session')));
      } catch (_) {
        // The tab's marks are then not kept: a reload asks for the lock as a new tab does.
      }
    }
    var hostLocks = createHostLocks(function () {
      return port;
    });
    var ownLocks = navigator.locks
      ? navigator.locks.query().then(
          function () {
            return true;
          },
          function () {
            return false;
          }
        )
      : Promise.resolve(false);
    window.wrapupStorageReady = Promise.all([ready, ownLocks]).then(function (both) {
      if (both[0] && !both[1]) window.wrapupHostLocks = hostLocks.manager;
      return both[0];
    });
    // The host's copy is asked for, to be merged with the widget's (below).
    function askHostCopy() {
      merging = true;
      port.postMessage({ type: 'storage-load' });
    }
    // The host's copy joins the widget's: the keys the widget has none of
    // as they are, then the widget merges those both have, its changes
    // going to the host; then all of it goes to the host, which keeps it
    // from now on.
    function merge(stored) {
      Object.keys(stored).forEach(function (key) {
        if (!areas.local.has(key)) areas.local.set(key, stored[key]);
      });
      keeping = true;
      toWasm('wrapup:storage-merge', JSON.stringify(stored));
      sendAll();
      toWasm('wrapup:storage-kept');
    }
    // Pending until a host connects after the widget started without one,
    // where this frame has no Web Locks of its own; never, elsewhere. Where
    // it has, its own lock already told it that it is the live tab.
    var lateLocks;
    window.wrapupHostLocksLate = new Promise(function (resolve) {
      lateLocks = function () {
        ownLocks.then(function (own) {
          if (own) return askHostCopy();
          window.wrapupHostLocks = hostLocks.manager;
          awaitingLock = true;
          resolve(true);
        });
      };
    });

    function readable(stored) {
      return (
        !!stored &&
        typeof stored === 'object' &&
        Object.keys(stored).every(function (key) {
          return typeof stored[key] === 'string';
        })
      );
    }

    return {
      // Each connection of the host: the first asks for its copy; one
      // after the widget started without it gets what the widget stored.
      connected: function (newPort, toHost) {
        var first = port === null;
        port = newPort;
        if (!settled) {
          keeping = true;
          port.postMessage({ type: 'storage-load' });
          return;
        }
        sendAll();
        if (first) {
          lateLocks();
          toHost({
            type: 'warning',
            message:
              'this page connected more than ' + STORAGE_WAIT_MS / 1000 + ' s after the widget loaded: ' +
              'the browser blocks storage in the widget\'s frame, so the widget started without the notes ' +
              'and unsent wrap-ups this page keeps for it. It keeps them here from now on.',
          });
        }
      },
      // No host will keep the widget's data: the page embedding it was refused.
      refused: function () {
        if (!settled) settle(false);
      },
      // The host's copy: true when it could be taken (or came too late to
      // matter, unless asked for to be merged).
      loaded: function (stored, session) {
        if (!readable(stored) || (session !== undefined && !readable(session))) return false;
        if (merging) {
          merging = false;
          merge(stored);
        }
        if (settled) return true;
        [[areas.local, stored], [areas.session, session || {}]].forEach(function (copy) {
          Object.keys(copy[1]).forEach(function (key) {
            copy[0].set(key, copy[1][key]);
          });
        });
        console.info('wrapup-gadget: the browser blocks storage in this frame; the page embedding it keeps the widget\'s data');
        settle(true);
        return true;
      },
      // The host's answer about a lock it took for this frame; the first
      // after a late connection says whether the widget's data may go there.
      lockAnswered: function (message) {
        if (!hostLocks.answered(message)) return false;
        if (awaitingLock && message.type === 'lock') {
          awaitingLock = false;
          if (message.held !== false) askHostCopy();
          else if (areas.local.size > 0) port.postMessage({ type: 'storage-add', items: Object.fromEntries(areas.local) });
        }
        return true;
      },
    };
  }

  // Why `window[name]` takes no write here (a description of the error),
  // or null where it does.
  function blockedStorage(name) {
    try {
      var probe = 'wrapup:storage-probe';
      window[name].setItem(probe, '1');
      window[name].removeItem(probe);
      return null;
    } catch (error) {
      return describe(error);
    }
  }

  function standIn(name, storage) {
    Object.defineProperty(window, name, {
      configurable: true,
      get: function () {
        return storage;
      },
    });
  }

  // A Storage over `items` (what the wasm and integrators' code call on
  // localStorage), each change handed to `send` as {key: value or null}.
  function memoryStorage(items, send) {
    function change(key, value) {
      var changes = {};
      changes[key] = value;
      send(changes);
    }
    return {
      getItem: function (key) {
        key = String(key);
        return items.has(key) ? items.get(key) : null;
      },
      setItem: function (key, value) {
        key = String(key);
        value = String(value);
        items.set(key, value);
        change(key, value);
      },
      removeItem: function (key) {
        key = String(key);
        if (items.delete(key)) change(key, null);
      },
      clear: function () {
        var changes = {};
        items.forEach(function (_, key) {
          changes[key] = null;
        });
        items.clear();
        send(changes);
      },
      key: function (index) {
        var keys = Array.from(items.keys());
        return index >= 0 && index < keys.length ? keys[index] : null;
      },
      get length() {
        return items.size;
      },
    };
  }

  // `navigator.locks` as the host page holds them for this frame, where the
  // browser refuses the frame its own (docs/cil-protocol.md, item 5):
  // `request(name, {steal | ifAvailable}, callback)` as the Web Locks API
  // has it. A granted lock is held until the host page goes or another tab
  // takes it over, when the request's promise rejects as for a stolen Web
  // Lock; what the callback returns is not awaited (the widget holds its
  // lock as long as its page lives). `hostPort()` is the connected host's port.
  function createHostLocks(hostPort) {
    var nextId = 1;
    var requests = new Map();
    function call(request, lock) {
      try {
        return { value: request.callback(lock) };
      } catch (error) {
        request.reject(error);
        return null;
      }
    }
    return {
      manager: {
        request: function (name, options, callback) {
          return new Promise(function (resolve, reject) {
            var id = nextId;
            nextId += 1;
            requests.set(id, { name: String(name), callback: callback, resolve: resolve, reject: reject, held: false });
            hostPort().postMessage({ type: 'lock-request', id: id, name: String(name), steal: !!(options && options.steal) });
          });
        },
      },
      // `{type: 'lock', id, held: true | false | null}` once, then for a held
      // lock maybe `{type: 'lock-lost', id}`: false for any other message.
      answered: function (message) {
        var request = requests.get(message.id);
        if (!request) return false;
        if (message.type === 'lock-lost') {
          if (!request.held) return false;
          requests.delete(message.id);
          request.reject(new DOMException('another tab took the lock over', 'AbortError'));
          return true;
        }
        if (request.held || [true, false, null].indexOf(message.held) === -1) return false;
        if (message.held === true) {
          request.held = true;
          call(request, { name: request.name, mode: 'exclusive' });
          return true;
        }
        requests.delete(message.id);
        if (message.held === false) {
          var called = call(request, null);
          if (called) request.resolve(called.value);
        } else {
          request.reject(new DOMException('the page embedding the widget has no Web Locks', 'NotSupportedError'));
        }
        return true;
      },
    };
  }

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
