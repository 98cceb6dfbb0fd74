// cil-host.js: for a CRM page that embeds the wrapup-gadget widget in an
// iframe. `WrapupGadget.connect(iframe, {origin})` returns the same `cil`
// object the widget's own page has (public/cil.d.ts), carried over a
// MessageChannel (docs/cil-protocol.md), and sets `window.cil` when the page
// has none, so the b+s Connects samples run unchanged.
//
//   <iframe id="wrapup" src="https://widget.example.com/?agent=…"></iframe>
//   <script src="https://widget.example.com/cil-core.js"></script>
//   <script src="https://widget.example.com/cil-host.js"></script>
//   const cil = WrapupGadget.connect(document.getElementById('wrapup'),
//                                    { origin: 'https://widget.example.com' });
//   cil.onWorkitemWrapup((data) => console.log(data.id));
//
// Security: messages go only to the widget's origin (never "*"), and only
// the MessagePort handed to that origin is listened to; nothing arriving on
// `window` is trusted.
//
// Storage: when the browser blocks storage in the widget's frame (third-party
// storage), this page keeps the widget's data (notes in progress, unsent
// wrap-ups; never a credential) in its own localStorage, under keys starting
// `wrapup-gadget@<widget origin>:`, so that they survive a reload (and the
// frame's sessionStorage, when blocked too, in this page's sessionStorage).
// Where the browser refuses the frame Web Locks as well, this page takes the
// agent's lock for it, so that only one tab of the CRM page is live for the
// agent (src/runtime/agent_lock.rs).
(function () {
  'use strict';

  if (window.WrapupGadget && window.WrapupGadget.connect) return;

  var gadget = window.WrapupGadget;
  if (!gadget || typeof gadget.createCil !== 'function') {
    console.error('wrapup-gadget: load cil-core.js before cil-host.js');
    return;
  }
  var createCil = gadget.createCil;
  var describe = gadget.describe;
  var errorEvent = gadget.errorEvent;

  // The handshake is offered again 250 ms after the first offer, then twice
  // as long after each, at most 10 s apart: a frame showing no widget may
  // log a warning for every offer it gets (a widget refusing this page, an
  // error). A widget that comes up late loads in its frame, whose load event
  // offers it the handshake at once.
  var RETRY_MS = 250;
  var SLOW_RETRY_MS = 10000;
  var GIVE_UP_MS = 5000;
  var ORPHAN_REPLY_MS = 10000;
  var connections = new WeakMap();

  function widgetOrigin(origin) {
    var url;
    try {
      url = new URL(origin);
    } catch (_) {
      url = null;
    }
    if (!url || url.origin === 'null' || origin.replace(/\/$/, '') !== url.origin) {
      throw new TypeError(
        'WrapupGadget.connect: `origin` must be the widget\'s origin, scheme://host[:port] ' +
          '(e.g. https://widget.example.com), not ' + JSON.stringify(origin)
      );
    }
    return url.origin;
  }

  function connect(iframe, options) {
    if (!iframe || typeof iframe.contentWindow === 'undefined' || iframe.tagName !== 'IFRAME') {
      throw new TypeError('WrapupGadget.connect needs the <iframe> element showing the widget');
    }
    var settings = options || {};
    var origin = widgetOrigin(settings.origin);
    var existing = connections.get(iframe);
    if (existing) return existing;
    if (iframe.src && new URL(iframe.src, location.href).origin !== origin) {
      console.warn('wrapup-gadget: the iframe shows ' + iframe.src + ', not a page of ' + origin + ': the connection will not be answered');
    }

    var nextId = 1;
    var pending = new Map(); // id → {resolve, request, port}
    var queue = []; // messages for the widget, until connected
    var ports = []; // every port offered to the widget's current document
    var current = null; // the port the widget answered last
    var retry = null;
    var unanswered = null; // the timer of the 5 s error
    var closed = false;
    var markConnected;
    var whenConnected = new Promise(function (resolve) {
      markConnected = resolve;
    });

    function post(message) {
      if (current) current.postMessage(message);
      else queue.push(message);
    }

    function send(request) {
      return new Promise(function (resolve) {
        if (closed) {
          refuse(resolve, request, 'the connection to the widget is closed, so the request was not sent');
          return;
        }
        var id = nextId;
        nextId += 1;
        pending.set(id, { resolve: resolve, request: request, port: null });
        post({ type: 'request', id: id, request: request });
        var entry = pending.get(id);
        if (entry) entry.port = current;
      });
    }

    // A request this page answers itself, because the widget will not: as
    // the widget's own refusals, it names the request and its requestId, and
    // reaches the onError callbacks once, as an `error` event.
    function refuse(resolve, request, problem) {
      var given = request.requestId;
      var requestId = typeof given === 'string' || typeof given === 'number' ? String(given) : '';
      var message = request.request + ': ' + problem;
      core.dispatch(errorEvent(requestId, message));
      resolve({ ok: false, error: { requestId: requestId, message: message } });
    }

    function resize(px) {
      if (settings.autoResize !== false) iframe.style.height = px + 'px';
      if (typeof settings.onHeight === 'function') {
        try {
          settings.onHeight(px);
        } catch (error) {
          console.error('wrapup-gadget: the onHeight callback threw', error);
        }
      }
    }

    function warn(message) {
      if (typeof settings.onWarning === 'function') {
        try {
          settings.onWarning(message);
        } catch (error) {
          console.error('wrapup-gadget: the onWarning callback threw', error);
        }
      } else {
        console.warn('wrapup-gadget: ' + message);
      }
    }

    // The workitems this page was told of and that have not ended. A widget
    // that reloads in its frame tells its calls again (call recovery, for
    // the integrators of a page that loads with it): this page heard them.
    var created = new Set();
    function alreadyCreated(data) {
      if (!data || typeof data.id !== 'string') return false;
      if (data.event === 'workitemEnd') created.delete(data.id);
      if (data.event !== 'workitemCreate') return false;
      if (created.has(data.id)) return true;
      created.add(data.id);
      return false;
    }

    function onWidgetMessage(event) {
      var message = event.data;
      if (!message || typeof message !== 'object' || closed) return;
      if (message.type === 'connected') {
        onConnected(event.target);
      } else if (message.type === 'event') {
        if (alreadyCreated(message.data)) return;
        core.dispatch(message.data);
      } else if (message.type === 'reply') {
        var entry = pending.get(message.id);
        if (!entry) return;
        pending.delete(message.id);
        entry.resolve(message);
      } else if (message.type === 'height' && typeof message.px === 'number' && message.px > 0) {
        resize(message.px);
      } else if (message.type === 'warning' && typeof message.message === 'string') {
        warn(message.message);
      } else if (message.type === 'storage-load') {
        event.target.postMessage({ type: 'storage', items: storedItems('local'), session: storedItems('session') });
      } else if (message.type === 'storage-set' && message.items && typeof message.items === 'object') {
        storeItems(message.area === 'session' ? 'session' : 'local', message.items);
      } else if (message.type === 'storage-add' && message.items && typeof message.items === 'object') {
        storeItems('local', message.items, true);
      } else if (message.type === 'lock-request' && typeof message.id === 'number' && typeof message.name === 'string') {
        takeLock(event.target, message);
      }
    }

    // The widget's storage, kept here when its frame may not keep it.
    var storagePrefix = 'wrapup-gadget@' + origin + ':';
    var storageWarned = false;

    function storageFailed(error) {
      if (storageWarned) return;
      storageWarned = true;
      warn('this page cannot keep the widget\'s data in its localStorage (' + describe(error) + '): notes in progress and unsent wrap-ups do not survive a reload');
    }

    // This page's localStorage, or its sessionStorage for the frame's ('session').
    function hostStorage(area) {
      return area === 'session' ? window.sessionStorage : window.localStorage;
    }

    function storedItems(area) {
      var items = {};
      try {
        var storage = hostStorage(area);
        for (var index = 0; index < storage.length; index += 1) {
          var key = storage.key(index);
          if (key !== null && key.indexOf(storagePrefix) === 0) {
            items[key.slice(storagePrefix.length)] = storage.getItem(key);
          }
        }
      } catch (error) {
        storageFailed(error);
      }
      return items;
    }

    // `items` into this page's storage; with `onlyNew`, only the keys it has
    // none of: what a widget that started without this page hands it while
    // another tab of the page is live for the agent, whose data the keys
    // it has are.
    function storeItems(area, items, onlyNew) {
      try {
        var storage = hostStorage(area);
        Object.keys(items).forEach(function (key) {
          var value = items[key];
          if (onlyNew && (typeof value !== 'string' || storage.getItem(storagePrefix + key) !== null)) return;
          if (typeof value === 'string') storage.setItem(storagePrefix + key, value);
          else if (value === null) storage.removeItem(storagePrefix + key);
        });
      } catch (error) {
        storageFailed(error);
      }
    }

    // The agent's Web Lock, taken in this page for a frame whose own the
    // browser refuses, under the name of its storage keys: free (or from
    // whoever holds it, when the frame's tab is marked live), and held until
    // this page goes, `disconnect()`, or another tab takes it over, which the
    // frame is told of on the port it asked on.
    var releases = new Set();
    function takeLock(port, message) {
      function answer(reply) {
        reply.id = message.id;
        port.postMessage(reply);
      }
      if (!navigator.locks) {
        answer({ type: 'lock', held: null });
        return;
      }
      var release = null;
      var options = message.steal === true ? { steal: true } : { ifAvailable: true };
      navigator.locks
        .request(storagePrefix + message.name, options, function (lock) {
          answer({ type: 'lock', held: lock !== null });
          if (lock === null) return undefined;
          return new Promise(function (resolve) {
            release = resolve;
            releases.add(release);
          });
        })
        .then(null, function () {
          if (!release) {
            answer({ type: 'lock', held: null });
            return;
          }
          releases.delete(release);
          answer({ type: 'lock-lost' });
        });
    }

    function onConnected(port) {
      stopRetrying();
      var previous = current;
      current = port;
      if (previous && previous !== port) {
        // The widget connected again (its page reloaded, or the frame loaded
        // again): what was asked on the earlier port is answered there, or
        // never if that page is gone.
        setTimeout(function () {
          pending.forEach(function (entry, id) {
            if (entry.port !== previous) return;
            pending.delete(id);
            refuse(entry.resolve, entry.request, 'the widget reloaded before it answered; it may have been carried out');
          });
        }, ORPHAN_REPLY_MS);
      }
      queue.splice(0).forEach(function (message) {
        port.postMessage(message);
        if (message.type === 'request') {
          var entry = pending.get(message.id);
          if (entry) entry.port = port;
        }
      });
      markConnected();
    }

    function offer() {
      var channel = new MessageChannel();
      channel.port1.onmessage = onWidgetMessage;
      ports.push(channel.port1);
      // The widget's origin, never "*": a frame showing anything else
      // (an error page, a redirect) does not receive the port.
      iframe.contentWindow.postMessage({ type: 'wrapup-gadget:connect', version: 1 }, origin, [channel.port2]);
    }

    function stopRetrying() {
      if (retry) clearTimeout(retry);
      if (unanswered) clearTimeout(unanswered);
      retry = null;
      unanswered = null;
    }

    // Why the widget has not answered: its likely causes, those this page
    // can see first (the frame showing another origin than `origin`, or no
    // page loaded in it yet), then the others, the likeliest first.
    function unansweredMessage(loaded) {
      var shown = iframe.src ? new URL(iframe.src, location.href).origin : origin;
      var causes = [
        // [seen here, the cause]
        [
          false,
          'the widget server does not allow this page\'s origin ' + location.origin + ' (start it with ' +
            '--embed-origin ' + location.origin + '): then the browser refuses to show the widget in ' +
            'this frame (frame-ancestors), or the widget refuses the connection (allowedOrigins in its ' +
            'config.json)',
        ],
        shown === origin
          ? [false, 'the iframe does not show the widget at ' + origin]
          : [true, 'the iframe shows ' + iframe.src + ', not a page of ' + origin + ' (the widget\'s origin given to WrapupGadget.connect)'],
        loaded
          ? [false, 'the widget failed to load']
          : [true, 'the frame has not loaded the widget\'s page yet (a slow network, or its URL does not answer)'],
      ];
      // A sandbox without these two leaves the frame blank: no script runs,
      // or none of the widget's origin (its own script, storage and server).
      var sandbox = iframe.getAttribute('sandbox');
      if (sandbox !== null && !(iframe.sandbox.contains('allow-scripts') && iframe.sandbox.contains('allow-same-origin'))) {
        causes.unshift([
          true,
          'the iframe\'s sandbox="' + sandbox + '" lacks allow-scripts or allow-same-origin, which the widget needs',
        ]);
      }
      var ordered = causes
        .filter(function (cause) {
          return cause[0];
        })
        .concat(
          causes.filter(function (cause) {
            return !cause[0];
          })
        )
        .map(function (cause) {
          return cause[1];
        });
      return (
        'the widget at ' + origin + ' has not answered for 5 s. Likely causes: ' +
        ordered.slice(0, -1).join('; ') + '; or ' + ordered[ordered.length - 1] + '. Still trying.'
      );
    }

    // Once per wait for the widget (from connect(), and from each load of
    // the frame): on the console, and to the onError callbacks, so that the
    // page can show it. `connected` does not reject: the widget may still
    // answer.
    function reportUnanswered(loaded) {
      if (unanswered) clearTimeout(unanswered);
      unanswered = setTimeout(function () {
        unanswered = null;
        if (closed) return;
        var message = unansweredMessage(loaded);
        console.error('wrapup-gadget: ' + message);
        core.dispatch(errorEvent('', message));
      }, GIVE_UP_MS);
    }

    function handshake(loaded) {
      stopRetrying();
      var delay = RETRY_MS;
      function attempt() {
        if (closed) return;
        if (iframe.contentWindow) offer();
        retry = setTimeout(attempt, delay);
        delay = Math.min(delay * 2, SLOW_RETRY_MS);
      }
      attempt();
      reportUnanswered(loaded);
    }

    // Every load of the frame is possibly a new widget document: connect to it.
    function onLoad() {
      if (!closed) handshake(true);
    }
    iframe.addEventListener('load', onLoad);

    var core = createCil(send, {
      sendCtiEvent: function (event) {
        if (!event || typeof event !== 'object' || typeof event.event !== 'string') {
          throw new TypeError('sendCtiEvent needs a b+s event object, e.g. {event: "workitemCreate", id: "…", …}');
        }
        if (!closed) post({ type: 'cti-event', event: event });
      },
      connected: whenConnected,
      disconnect: function () {
        if (closed) return;
        closed = true;
        stopRetrying();
        iframe.removeEventListener('load', onLoad);
        ports.forEach(function (port) {
          port.close();
        });
        ports = [];
        releases.forEach(function (release) {
          release();
        });
        releases.clear();
        current = null;
        queue = [];
        var unanswered = Array.from(pending.values());
        pending.clear();
        connections.delete(iframe);
        unanswered.forEach(function (entry) {
          refuse(
            entry.resolve,
            entry.request,
            entry.port
              ? 'the connection to the widget was closed before it answered; it may have been carried out'
              : 'the connection to the widget was closed before it was made, so the request was not sent'
          );
        });
      },
    });

    // A cross-origin document already in the frame cannot be read
    // (contentDocument is null): connect now. The initial about:blank is
    // readable: wait for the widget's load, which is told after 5 s when
    // the iframe has a page to load.
    var blank = false;
    try {
      blank = !!iframe.contentDocument && iframe.contentDocument.URL === 'about:blank';
    } catch (_) {
      blank = false;
    }
    if (!blank) handshake(!!iframe.contentWindow);
    else if (iframe.src) reportUnanswered(false);

    connections.set(iframe, core.cil);
    if (!('cil' in window)) window.cil = core.cil;
    return core.cil;
  }

  window.WrapupGadget = Object.freeze({ createCil: createCil, describe: describe, errorEvent: errorEvent, connect: connect });
})();
