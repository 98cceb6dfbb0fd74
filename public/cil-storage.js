// cil-storage.js: in the widget's page, when another page embeds it in a
// frame whose storage the browser blocks, the widget's storage and Web Locks
// kept by that page (docs/cil-protocol.md, items 4 and 5). Loaded after
// cil-core.js and before cil.js, which calls `createStorageRelay` when the
// page is framed.
(function () {
  'use strict';

  var gadget = window.WrapupGadget;
  if (!gadget || gadget.createStorageRelay) return;
  var describe = gadget.describe;

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
  function createStorageRelay(toWasm) {
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

  gadget.createStorageRelay = createStorageRelay;
})();
