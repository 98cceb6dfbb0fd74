// The widget's configuration as a CRM admin meets it: a server started for
// production (no --demo) hands the widget its token.
import { test, expect, request as newRequest, type APIRequestContext } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  act,
  codes,
  newAgent,
  scratchDatabase,
  segment,
  startCall,
  startServer,
  stopServer,
} from './support';

test.describe('a production server (--widget-token, --users, no --demo)', () => {
  const port = Number(process.env.WRAPUP_E2E_PORT ?? 18080) + 12;
  const base = `http://127.0.0.1:${port}`;
  let server: ChildProcess;
  let request: APIRequestContext;

  test.beforeAll(async () => {
    const db = scratchDatabase('production');
    const users = join(dirname(db), 'users.txt');
    writeFileSync(users, 'admin:admin:admin\n');
    server = await startServer(port, db, ['--widget-token', 'e2e-production-token', '--users', users]);
    request = await newRequest.newContext({
      baseURL: base,
      extraHTTPHeaders: { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    });
  });

  test.afterAll(async () => {
    await request?.dispose();
    if (server) await stopServer(server);
  });

  // Bug: without --demo, /config.json held no token, so the widget's event
  // stream and every API call were refused, the token "wrong or expired".
  test('serves the widget its token: it follows calls and saves wrap-ups out of the box', async ({ page }) => {
    const agent = newAgent();
    await page.goto(`${base}/?agent=${agent}`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    const id = await startCall(request, agent, 120);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    await act(request, id, 'connect');
    const sysId: string = (await act(request, id, 'hangup')).ctiData['user.wrapupSegmentSysId'];
    await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
    await page.getByTestId('code-option').nth(1).click();
    await page.getByTestId('submit').click();
    await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
    expect((await segment(request, sysId)).code.code).toBe(codes[1]);
  });
});
