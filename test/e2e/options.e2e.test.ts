/**
 * Options page in the real extension: what the user saves reaches the background monitor,
 * bad input is refused with the field named and nothing saved is lost, the test-notification
 * button reaches chrome.notifications through the service worker.
 */
import { describe, expect } from 'vitest';
import { notificationCalls, waitFor } from '../../harness/extension';
import { screenshot } from '../../harness/start';
import { itWhen, useHarness } from '../../harness/vitest';

declare const chrome: any;

describe('options page', () => {
  const h = useHarness();

  itWhen(['options'], 'settings saved on a fresh profile take effect in the monitor at once', async () => {
    const page = await h().b.openExtensionPage('options.html');
    await page.locator('#opt-priceMaxAge').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor({ timeout: 5000 });
    const stored = await h().b.sw().evaluate(() => chrome.storage.local.get(['settings', 'settings$']));
    expect(stored.settings.alerts.priceMaxAgeMs).toBe(5000);
    // The page promises "The monitor uses the new settings at once": the monitor must load them
    // without reporting a settings problem (it would otherwise run on defaults).
    await new Promise((r) => setTimeout(r, 1000));
    const { monitorProblems } = await h().b.sw().evaluate(() => chrome.storage.local.get('monitorProblems'));
    expect(monitorProblems?.settings ?? null).toBeNull();
    await page.close();
  });

  itWhen(['options'], 'a bad value is refused naming the field, and the saved settings stay', async () => {
    const before = (await h().b.sw().evaluate(() => chrome.storage.local.get('settings'))).settings;
    const page = await h().b.openExtensionPage('options.html');
    await page.locator('#opt-levels').fill('80, abc');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.field-error').first().innerText(), { timeout: 5000 }).toMatch(/^Alert levels \(%\): /);
    expect(await page.locator('p.saved').innerText()).toMatch(/Not saved/);
    await screenshot(page, 'options-invalid');
    const after = (await h().b.sw().evaluate(() => chrome.storage.local.get('settings'))).settings;
    expect(after).toEqual(before);
    await page.close();
  });

  itWhen(['options'], 'the test-notification button shows a notification from the service worker', async () => {
    const page = await h().b.openExtensionPage('options.html');
    const n = notificationCalls(h().server).length;
    await page.getByRole('button', { name: 'Send a test notification' }).click();
    await expect.poll(() => page.getByTestId('test-result').innerText(), { timeout: 5000 }).toMatch(/^Test notification sent/);
    const call = await waitFor(() => notificationCalls(h().server)[n], { what: 'the test notification' });
    expect(call.title).toBe('Margin Sentinel: test alert');
    expect(Object.keys(await h().b.sw().evaluate(() => chrome.notifications.getAll()))).toContain(call.id);
    await screenshot(page, 'options');
    await page.close();
  });
});
