// `window.cil` in the widget's own page (docs/cil-protocol.md): what
// integrators hear across reloads, callbacks that throw, refused requests,
// ids passed on from answers, and requests made before the widget is ready.
import { test, expect } from '@playwright/test';
import { act, newAgent, openWidget, startCall } from './support';
import { API_VERSION, callbacksOf, recordCallbacks, recordCallbacksFromTheStart, seen } from './cil-support';
import type { Cil } from '../../public/cil';

test.describe('window.cil in the widget page', () => {
  test('after a reload, a call still on the phone is told once as created (call recovery), then only new changes are', async ({
    page,
    request,
  }) => {
    const agent = newAgent();
    await openWidget(page, agent);
    const ringing = await startCall(request, agent, 120);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    // The server sent two events: the agent's login and the call. The page
    // must have heard both before it reloads — one still on its way (the
    // login may come after the call) is news to the reloaded page, rightly.
    await expect
      .poll(() =>
        page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}').last_seen ?? 0, `wrapup:${agent}:resume`),
      )
      .toBe(2);

    await recordCallbacksFromTheStart(page);
    await page.reload();
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    // The page's integrators are new with it: the call ringing is told once,
    // in its present state, as the spec's call recovery has it.
    await expect.poll(() => callbacksOf(page, ringing)).toEqual(['onWorkitemCreate']);
    expect((await seen(page))[0].data).toMatchObject({ event: 'workitemCreate', id: ringing, state: 'Offered' });
    const next = await startCall(request, agent, 120);
    await expect(page.getByTestId('workitem-card')).toHaveCount(2);
    await expect.poll(() => callbacksOf(page, next)).toEqual(['onWorkitemCreate']);
    expect((await seen(page)).map((entry) => entry.callback)).toEqual(['onWorkitemCreate', 'onWorkitemCreate']);
    // A late subscriber catches up by asking.
    const channel = await page.evaluate(() => (window as unknown as { cil: Cil }).cil.getChannel('voice'));
    expect(channel.channel.workitems.map((workitem) => workitem.id).sort()).toEqual([next, ringing].sort());
  });

  test('a page with nothing stored hears the live calls, not the calls that are over', async ({ page, request }) => {
    // As a CRM frame whose storage the browser blocks, on every load.
    const agent = newAgent();
    const over = await startCall(request, agent, 120);
    await act(request, over, 'hangup');
    const live = await startCall(request, agent, 120);
    await act(request, live, 'connect');
    const interactions: string[] = [];
    page.on('request', (sent) => {
      if (sent.method() === 'POST' && sent.url().endsWith('/openframe/voice-interaction')) {
        interactions.push(sent.postDataJSON().interaction.clientSessionId);
      }
    });
    await recordCallbacksFromTheStart(page);
    await openWidget(page, agent);
    await expect(page.getByTestId('workitem-card')).toHaveCount(1);
    await expect.poll(() => callbacksOf(page, live)).toEqual(['onWorkitemCreate', 'onWorkitemConnect']);
    expect(await callbacksOf(page, over)).toEqual([]);
    await expect.poll(() => interactions).toEqual([live]);
    // The record's answer must be in before the reload: a reload while the
    // POST is on its way cannot know the record and would create another.
    await expect
      .poll(() => page.evaluate((key) => localStorage.getItem(key) ?? '', `wrapup:${agent}:interactions`))
      .toContain(live);

    // Told where the server's replay ended, a reload resumes after it: the
    // call that is over stays untold, and the live one is told once as
    // created (call recovery), not as it went.
    await page.reload();
    await expect(page.getByTestId('workitem-card')).toHaveCount(1);
    await expect.poll(() => callbacksOf(page, live)).toEqual(['onWorkitemCreate']);
    const next = await startCall(request, agent, 120);
    await expect.poll(() => callbacksOf(page, next)).toEqual(['onWorkitemCreate']);
    expect(await callbacksOf(page, over)).toEqual([]);
    expect((await seen(page)).map((entry) => entry.callback)).toEqual(['onWorkitemCreate', 'onWorkitemCreate']);
    expect(interactions).toEqual([live]);
  });

  test('a callback that throws does not stop the others, is reported to onError, and unsubscribing works', async ({
    page,
    request,
  }) => {
    const agent = newAgent();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await openWidget(page, agent);
    await page.evaluate(() => {
      const target = window as unknown as { cil: Cil; __calls: Record<string, unknown> };
      const calls = { first: 0, second: 0, removed: 0, errors: [] as unknown[] };
      target.__calls = calls;
      target.cil.onWorkitemCreate(() => {
        calls.first += 1;
        throw new Error('an integrator bug');
      });
      target.cil.onWorkitemCreate(() => {
        calls.second += 1;
      });
      const unsubscribe = target.cil.onWorkitemCreate(() => {
        calls.removed += 1;
      });
      unsubscribe();
      unsubscribe();
      target.cil.onError((error) => calls.errors.push(error));
    });

    await startCall(request, agent, 60);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __calls: unknown }).__calls))
      .toEqual({
        first: 1,
        second: 1,
        removed: 0,
        errors: [{ event: 'error', version: API_VERSION, requestId: '', message: expect.stringContaining('an integrator bug') }],
      });
    expect(consoleErrors.some((text) => text.includes('an integrator bug'))).toBe(true);
  });

  // Bug this pins: the `error` events JS makes itself (a callback threw)
  // had no `version`, nor did the events of a CTI source that sent none.
  test('every event integrators hear says the API version: the server\'s, a CTI source\'s without one, the wasm\'s errors and JS\'s', async ({
    page,
    request,
  }) => {
    const agent = newAgent();
    await openWidget(page, agent);
    await recordCallbacks(page);
    await page.evaluate(() => {
      const { cil } = window as unknown as { cil: Cil };
      cil.onWorkitemConnect(() => {
        throw new Error('an integrator bug');
      });
      // Refused by the wasm.
      cil.setWrapupReason('voice', '', 'Store Issue', 'refused-1').catch(() => {});
      // A CTI event as the spec prints them, without a version.
      const event = { event: 'workitemCreate', id: 'page-1', state: 'Offered', associations: [], capabilities: [], participants: [], participantLookupResult: [] };
      window.dispatchEvent(new CustomEvent('wrapup:cti-event', { detail: JSON.stringify(event) }));
    });
    const id = await startCall(request, agent, 60);
    await act(request, id, 'connect');
    await page.evaluate(() => (window as unknown as { cil: Cil }).cil.setAgentState('voice', 'NotReady', undefined, 'state-1'));
    await expect
      .poll(async () => (await seen(page)).map((entry) => `${entry.callback} ${entry.data.requestId || entry.data.id || ''}`))
      .toEqual(
        expect.arrayContaining([
          'onError refused-1',
          'onWorkitemCreate page-1',
          `onWorkitemCreate ${id}`,
          `onWorkitemConnect ${id}`,
          'onError ',
          'onAgentStateChange state-1',
        ]),
      );
    expect((await seen(page)).filter((entry) => entry.data.version !== API_VERSION)).toEqual([]);
  });

  test('a refused request rejects its Promise and fires onError once, with its requestId', async ({ page }) => {
    const agent = newAgent();
    await openWidget(page, agent);
    const outcome = await page.evaluate(async () => {
      const { cil } = window as unknown as { cil: Cil };
      const errors: unknown[] = [];
      cil.onError((error) => errors.push(error));
      const refusal = async (request: () => Promise<unknown>) => {
        try {
          return { resolved: await request() };
        } catch (error) {
          const { name, message, requestId, request: named } = error as Error & { requestId: string; request: string };
          return { name, message, requestId, request: named };
        }
      };
      const missingWorkitem = await refusal(() => cil.setWrapupReason('voice', '', 'Store Issue', 'req-42'));
      // updatedData goes to the wasm as given: the number is refused there.
      const notAString = await refusal(() =>
        cil.updateWorkitemData('voice', 'call-1', { callVariable1: 12345 as unknown as string }, 'req-43'),
      );
      return { missingWorkitem, notAString, errors };
    });
    expect(outcome.missingWorkitem).toMatchObject({
      name: 'CilRequestError',
      request: 'setWrapupReason',
      requestId: 'req-42',
      message: expect.stringContaining('workitemId'),
    });
    expect(outcome.notAString).toMatchObject({
      requestId: 'req-43',
      message: expect.stringContaining('callVariable1'),
    });
    expect(outcome.errors).toEqual([
      expect.objectContaining({ event: 'error', requestId: 'req-42', message: outcome.missingWorkitem.message }),
      expect.objectContaining({ event: 'error', requestId: 'req-43', message: outcome.notAString.message }),
    ]);
  });

  test('ids taken from events and answers go back in requests as they came: a channel id, a numeric reason code', async ({
    page,
    request,
  }) => {
    const agent = newAgent();
    await openWidget(page, agent);
    await recordCallbacks(page);
    // Code written from the spec: the channel's `id` (a string) and a reason
    // code's `id` (a string or, from another CTI system, a number) are passed on.
    const asked = await page.evaluate(async () => {
      const { cil } = window as unknown as { cil: Cil };
      const { channel } = await cil.getChannel('voice');
      const codes = await cil.getReasonCodeList(channel.id, 'NotReady');
      await cil.setAgentState(channel.id, 'NotReady', Number(codes[0].id), 'not-ready-1');
      return { channelId: channel.id, code: codes[0] };
    });
    expect(asked.channelId).toMatch(/^voice_/);
    await expect
      .poll(async () => (await seen(page)).filter((entry) => entry.callback === 'onAgentStateChange').map((entry) => entry.data))
      .toContainEqual(
        expect.objectContaining({ newState: 'NotReady', newReasonCode: Number(asked.code.id), requestId: 'not-ready-1' }),
      );

    // The workitems getChannel lists are workitems without an event's name.
    const id = await startCall(request, agent, 120);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    const listed = await page.evaluate(async () => {
      const { cil } = window as unknown as { cil: Cil };
      return (await cil.getChannel('voice')).channel.workitems;
    });
    expect(listed.map((workitem) => workitem.id)).toEqual([id]);
    expect(listed[0]).not.toHaveProperty('event');
  });

  test('the wrap-up reason the agent picks is the one getChannel lists', async ({ page, request }) => {
    const agent = newAgent();
    await openWidget(page, agent);
    const id = await startCall(request, agent, 120);
    await act(request, id, 'connect');
    await act(request, id, 'hangup');
    await expect(page.getByTestId('code-option')).toHaveCount(2);
    await page.getByTestId('code-listbox').focus();
    await page.keyboard.press('2');
    const reason = await page.evaluate(async () => {
      const { cil } = window as unknown as { cil: Cil };
      return (await cil.getChannel('voice')).channel.workitems[0].ctiData?.wrapUpReason;
    });
    expect(reason).toBe('Store Issue');
  });

  test('a request made before the widget is ready waits for it', async ({ page }) => {
    const agent = newAgent();
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const target = window as unknown as { cil: Cil; __early: Record<string, unknown> };
        const early: Record<string, unknown> = { readyWhenAsked: document.documentElement.dataset.wrapupReady ?? null };
        target.__early = early;
        target.cil.isSendDtmfEnabled().then((value) => {
          early.answer = value;
        });
      });
    });
    await openWidget(page, agent);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __early: unknown }).__early))
      .toEqual({ readyWhenAsked: null, answer: false });
  });
});
