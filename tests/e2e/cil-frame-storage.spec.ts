// The widget's storage in a CRM embed (docs/cil-protocol.md, item 4): where
// the browser blocks storage in the widget's frame, the page that connects
// with cil-host.js keeps it, under the widget's origin.
import { test, expect } from '@playwright/test';
import { act, newAgent, startCall } from './support';
import { blockWidgetStorage, origins, serveWidgetThroughTheTest } from './cil-support';

test('where the browser blocks storage in its frame, the host page keeps the widget\'s draft across a reload', async ({
  page,
  baseURL,
  request,
}) => {
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(page, widget);
  const agent = newAgent();
  await page.goto(`${crm}/crm.html?agent=${agent}`);
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  const frame = page.frameLocator('#widget');
  const id = await startCall(request, agent, 300);
  await act(request, id, 'connect');
  await act(request, id, 'hangup');
  await frame.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await frame.getByTestId('notes-input').fill('Typed in a frame without storage');

  // The host page, on its own origin, holds the draft under the widget's origin.
  const hostCopy = () =>
    page.evaluate(
      (prefix) =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith(prefix))
          .map((key) => localStorage.getItem(key))
          .join('\n'),
      `wrapup-gadget@${widget}:wrapup:${agent}:`,
    );
  await expect.poll(hostCopy).toContain('Typed in a frame without storage');

  await page.reload();
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  await expect(frame.getByTestId('notes-input')).toHaveValue('Typed in a frame without storage');
  await expect(frame.getByTestId('code-option').nth(1)).toHaveAttribute('aria-selected', 'true');
  // Nothing to warn of: the data is kept.
  await expect(page.getByTestId('crm-log').locator('[data-kind="warning"]')).toHaveCount(0);
  await expect(frame.getByTestId('storage-not-kept')).toHaveCount(0);
  await expect(frame.getByTestId('open-elsewhere-unknown')).toHaveCount(0);
});

test('a frame whose storage is blocked and that no page connects to starts on its own, tells the agent a reload loses their notes, and hands its data to a page that connects late', async ({
  page,
  baseURL,
  request,
}) => {
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(page, widget);
  const agent = newAgent();
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  // A page on an allowed origin that frames the widget without cil-host.js,
  // and loads it only when told to. All of it through the test, which the
  // browser's Local Network Access checks treat alike (see
  // serveWidgetThroughTheTest).
  const widgetUrl = `${widget}/?agent=${agent}`;
  await serveWidgetThroughTheTest(page, widgetUrl);
  await page.route(`${widget}/cil-*.js`, async (route) => route.fulfill({ response: await route.fetch() }));
  await page.route(`${crm}/plain-embed.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!DOCTYPE html><html><head><title>plain embed</title></head><body>
        <iframe id="w" src="${widgetUrl}" style="width:400px;height:600px"></iframe>
        <script>
          window.hostWarnings = [];
          window.connectLate = async () => {
            for (const name of ['cil-core.js', 'cil-host.js']) {
              const script = document.createElement('script');
              script.src = '${widget}/' + name;
              await new Promise((resolve) => { script.onload = resolve; document.head.append(script); });
            }
            WrapupGadget.connect(document.getElementById('w'), {
              origin: '${widget}',
              onWarning: (message) => window.hostWarnings.push(message),
            });
          };
        </script></body></html>`,
    }),
  );
  await page.goto(`${crm}/plain-embed.html`);
  const frame = page.frameLocator('#w');
  // It waits for a host, then starts with nothing stored.
  await expect(frame.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  expect(warnings.filter((text) => text.includes('no page has connected with cil-host.js'))).toHaveLength(1);
  // The agent is told that a reload would lose what they type.
  await expect(frame.getByTestId('storage-not-kept')).toContainText('a reload loses notes in progress');
  // Nor does any page hold the agent's lock for it: it runs whatever other
  // tabs do, and says so.
  await expect(frame.getByTestId('open-elsewhere-unknown')).toHaveText(
    'The widget cannot tell here whether it is open in another tab or window as well: use it in one only, so that no wrap-up is sent twice or overwritten.',
  );
  const id = await startCall(request, agent, 120);
  await expect(frame.getByTestId('workitem-card')).toBeVisible();

  await page.evaluate(() => (window as unknown as { connectLate: () => Promise<void> }).connectLate());
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { hostWarnings: string[] }).hostWarnings))
    .toEqual([expect.stringContaining('started without the notes and unsent wrap-ups this page keeps')]);
  // What the widget stored so far is kept by the page from now on.
  await expect
    .poll(() =>
      page.evaluate((key) => localStorage.getItem(key), `wrapup-gadget@${widget}:wrapup:${agent}:resume`),
    )
    .toBeTruthy();
  await expect(frame.getByTestId('storage-not-kept')).toHaveCount(0);
  // The page that connected late keeps the data, but the widget started
  // without a lock: it still cannot tell.
  await expect(frame.getByTestId('open-elsewhere-unknown')).toBeVisible();
  await act(request, id, 'connect');
});
