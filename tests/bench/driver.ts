// The in-page driver of the event-path and memory benchmarks, installed with
// `page.addInitScript(installDriver)` so it is in place before the widget
// boots. It feeds b+s events to the widget the way a host page does (a
// `wrapup:cti-event` CustomEvent on window whose detail is the event's JSON
// text, docs/cil-protocol.md), listens through the integrators' `window.cil`
// callbacks, and times each event from dispatch to the last DOM mutation or
// callback it caused.
//
// Playwright serialises `installDriver` into the page: it must not use
// anything from outside its own body.

/** One call lifecycle's figures. */
export interface LifecycleResult {
  /** Per fed event: ms from dispatch to its last DOM mutation or callback. */
  latencies: number[];
  /** Events whose DOM change had not happened by the next task. */
  deferred: number;
}

/** What `window.__bench.summary()` answers. */
export interface CallbackSummary {
  /** Callbacks expected (one per fed event). */
  expected: number;
  /** Expected callbacks that fired exactly once. */
  exactlyOnce: number;
  /** How many expected callbacks never fired, and the first few. */
  missing: number;
  firstMissing: string[];
  /** How many fired more than once, and the first few. */
  repeated: number;
  firstRepeated: string[];
  /** Other callbacks that fired, by event name (the server's own events too). */
  others: Record<string, number>;
}

export function installDriver() {
  const w = window as any;
  let lastActivity = 0;
  const fired = new Map<string, number>();
  const expected = new Set<string>();
  const others: Record<string, number> = {};
  // Per-event bookkeeping grows with every event: the memory benchmark
  // turns it off so that it measures the widget, not this driver.
  let tracking = true;

  // Every DOM change the widget makes is activity.
  new MutationObserver(() => {
    lastActivity = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });

  // The wasm memory, reachable through the module Trunk's loader hands out.
  let wasmMemory: WebAssembly.Memory | null = null;
  window.addEventListener('TrunkApplicationStarted', (event: any) => {
    wasmMemory = event.detail?.wasm?.memory ?? null;
  });

  const channel = new MessageChannel();
  let wake: (() => void) | null = null;
  channel.port1.onmessage = () => wake?.();
  // Resolves in the next task: after the dispatch's microtasks (Leptos runs
  // its effects there), before anything the next event causes.
  const nextTask = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      channel.port2.postMessage(0);
    });

  function waitFor(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (predicate()) return resolve();
      const observer = new MutationObserver(check);
      const poll = setInterval(check, 20);
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      function check() {
        if (predicate()) {
          cleanup();
          resolve();
        }
      }
      function cleanup() {
        observer.disconnect();
        clearInterval(poll);
        clearTimeout(timer);
      }
      observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  const count = (selector: string) => document.querySelectorAll(selector).length;

  function key(event: any): string {
    // By instant, not text: the widget may write the same time differently.
    if (event.event === 'agentStateChange') return `agentStateChange:${event.newState}:${Date.parse(event.newStateChangeTime)}`;
    return `${event.event}:${event.id}`;
  }

  function subscribe(track = true) {
    tracking = track;
    const cil = w.cil;
    const names: Record<string, string> = {
      onWorkitemCreate: 'workitemCreate',
      onWorkitemConnect: 'workitemConnect',
      onWorkitemPause: 'workitemPause',
      onWorkitemResume: 'workitemResume',
      onWorkitemWrapup: 'workitemWrapup',
      onWorkitemEnd: 'workitemEnd',
      onCallVariableChanged: 'callVariableChanged',
      onWrapupDataChanged: 'wrapupDataChanged',
      onAgentStateChange: 'agentStateChange',
      onQueueDataUpdate: 'queueDataUpdate',
      onError: 'error',
    };
    for (const [method, name] of Object.entries(names)) {
      cil[method]((data: any) => {
        lastActivity = performance.now();
        if (!tracking) return;
        const event = { ...data, event: data?.event ?? name };
        const id = key(event);
        if (expected.has(id)) fired.set(id, (fired.get(id) ?? 0) + 1);
        else others[name] = (others[name] ?? 0) + 1;
      });
    }
  }

  /** Feeds one event; answers ms from dispatch to its last effect seen. */
  async function feed(event: any, timed: boolean): Promise<number> {
    if (tracking) expected.add(key(event));
    const text = JSON.stringify(event);
    lastActivity = 0;
    const started = performance.now();
    window.dispatchEvent(new CustomEvent('wrapup:cti-event', { detail: text }));
    if (!timed) return 0;
    await nextTask();
    return Math.max(lastActivity - started, 0);
  }

  /** Runs call `n` of agent `agent` from alerting to its end: 10 events. */
  async function lifecycle(n: number, agent: string, timed: boolean): Promise<LifecycleResult> {
    // Unique on the server too: the benchmarks share one server, and a
    // workitem id names the call's interaction record and segment there.
    const id = `${agent}-call-${n}`;
    const latencies: number[] = [];
    let deferred = 0;
    let agentState = w.__benchAgentState ?? 'NotReady';
    const workitem = (event: string, state: string, callVariable1: string) => ({
      event,
      id,
      agentId: agent,
      ani: '+4930123456',
      channelId: 'voice_-1',
      channelType: 'Voice',
      classification: 'Customer',
      direction: 'Incoming',
      state,
      associations: [],
      capabilities: [],
      participants: [{ address: '+4930123456' }],
      participantLookupResult: [],
      ctiData: {
        callVariable1,
        queueName: 'Billing',
        'user.wrapupCodes': 'Billing Issue,Store Issue',
        'user.wrapupDefaultCode': 'Billing Issue',
        'user.wrapupDuration': '120',
      },
    });
    const agentChange = (newState: string) => {
      const change = {
        event: 'agentStateChange',
        channelId: 'voice_-1',
        channelType: 'Voice',
        newState,
        newReasonCode: -1,
        newStateChangeTime: new Date().toISOString(),
        oldState: agentState,
        oldReasonCode: -1,
      };
      agentState = newState;
      w.__benchAgentState = newState;
      return change;
    };
    const step = async (event: any, check?: () => boolean, what?: string) => {
      latencies.push(await feed(event, timed));
      if (check && !check()) {
        if (timed) deferred += 1;
        await waitFor(check, `${what} after ${event.event} of ${id}`);
      }
    };
    const cards = () => count('[data-testid=workitem-card]') === 1;
    await step(workitem('workitemCreate', 'Offered', `c-${n}`), cards, 'the workitem card');
    await step(workitem('workitemConnect', 'Active', `c-${n}`));
    await step(agentChange('Active'));
    await step(workitem('callVariableChanged', 'Active', `v-${n}`));
    await step(workitem('workitemPause', 'Paused', `v-${n}`));
    await step(workitem('workitemResume', 'Active', `v-${n}`));
    await step(workitem('workitemWrapup', 'Wrapup', `v-${n}`), () => count('[data-testid=wrapup-panel]') === 1, 'the wrap-up panel');
    await step(agentChange('Wrapup'));
    // The backend: the widget finds or opens the segment, then the agent
    // submits and the server confirms. Not part of any event's time.
    await waitFor(() => count('[data-testid=countdown]') === 1, `the segment of ${id} opened`);
    await w.cil.submitWrapup(id);
    await waitFor(() => count('[data-testid=submission-state][data-state=confirmed]') === 1, `the submission of ${id} confirmed`);
    await step(workitem('workitemEnd', 'Ended', `v-${n}`), () => count('[data-testid=idle]') === 1, 'the idle state');
    await step(agentChange('NotReady'));
    return { latencies, deferred };
  }

  function summary() {
    const missing: string[] = [];
    const repeated: string[] = [];
    let exactlyOnce = 0;
    for (const id of expected) {
      const times = fired.get(id) ?? 0;
      if (times === 1) exactlyOnce += 1;
      else if (times === 0) missing.push(id);
      else repeated.push(`${id} ×${times}`);
    }
    const result: CallbackSummary = {
      expected: expected.size,
      exactlyOnce,
      missing: missing.length,
      firstMissing: missing.slice(0, 5),
      repeated: repeated.length,
      firstRepeated: repeated.slice(0, 5),
      others,
    };
    return result;
  }

  w.__bench = {
    subscribe,
    lifecycle,
    summary,
    wasmMemoryBytes: () => wasmMemory?.buffer.byteLength ?? null,
  };
}
