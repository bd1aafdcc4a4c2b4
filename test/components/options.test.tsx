// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromDraft, toDraft, type EditableSettings } from '../../components/options/draft';
import { OptionsApp, type OptionsPorts } from '../../components/options/OptionsApp';
import { browserOptionsPorts } from '../../components/options/ports';
import { DEFAULT_SETTINGS } from '../../lib/settings/schema';
import { problemsItem, settingsItem } from '../../lib/storage';

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

/** Real storage ports (WXT fake browser), with the notification parts given by the test. */
function ports(over: Partial<OptionsPorts> = {}): OptionsPorts {
  return { ...browserOptionsPorts(), permissionLevel: async () => 'granted', sendTest: async () => ({ ok: true }), ...over };
}

async function mount(p = ports()) {
  render(<OptionsApp ports={p} />);
  await screen.findByLabelText('Alert levels (%)');
}
const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
const save = () => fireEvent.submit(screen.getByRole('button', { name: 'Save' }).closest('form')!);

describe('options page', () => {
  it('shows stored settings in user units', async () => {
    await mount();
    expect((screen.getByLabelText('Alert levels (%)') as HTMLInputElement).value).toBe('50, 70, 80, 90');
    expect((screen.getByLabelText('Hysteresis (percentage points)') as HTMLInputElement).value).toBe('3');
    expect((screen.getByLabelText('Cooldown (minutes)') as HTMLInputElement).value).toBe('15');
    expect((screen.getByLabelText('Position distance alert (%)') as HTMLInputElement).value).toBe('5');
    expect(screen.getByText(/OKX shows these as margin ratio 200 %, 143 %, 125 %, 111 %/)).toBeTruthy();
  });

  it('saves valid input into the settings item, converted to fractions and ms', async () => {
    await mount();
    type('Alert levels (%)', '90, 75');
    type('Hysteresis (percentage points)', '2.5');
    type('Cooldown (minutes)', '5');
    type('Position distance alert (%)', '3');
    type('Addresses to watch, one per line (at most 5)', '0x' + 'aB'.repeat(20));
    fireEvent.click(screen.getByLabelText(/Desktop notifications/));
    save();
    await screen.findByText(/Saved\./);
    const s = await settingsItem.getValue();
    expect(s.alerts.levels).toEqual([0.75, 0.9]);
    expect(s.alerts.hysteresis).toBe(0.025);
    expect(s.alerts.cooldownMs).toBe(300_000);
    expect(s.alerts.positionDistance).toBe(0.03);
    expect(s.notifications).toBe(false);
    expect(s.hyperliquidAddresses).toEqual(['0x' + 'ab'.repeat(20)]);
  });

  it('invalid input names the field, saves nothing and keeps what was typed', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, alerts: { ...DEFAULT_SETTINGS.alerts, levels: [0.6, 0.85] } });
    await mount();
    type('Alert levels (%)', '80, 120');
    type('Cooldown (minutes)', 'soon');
    type('Addresses to watch, one per line (at most 5)', '0x123');
    save();
    const errs = await screen.findAllByRole('alert');
    const text = errs.map((e) => e.textContent).join(' | ');
    expect(text).toContain('Alert levels (%): 120: must be between 0 and 100 %');
    expect(text).toContain('Cooldown (minutes): must be a number (got "soon")');
    expect(text).toContain('Hyperliquid addresses: 0x123: must be a 0x… address of 40 hex digits');
    expect(screen.getByLabelText('Alert levels (%)').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Not saved: fix the fields marked above/)).toBeTruthy();
    // Nothing saved was lost, and the typed text is still there.
    expect((await settingsItem.getValue()).alerts.levels).toEqual([0.6, 0.85]);
    expect((screen.getByLabelText('Alert levels (%)') as HTMLInputElement).value).toBe('80, 120');
  });

  it('test notification: says when notifications are blocked, without sending', async () => {
    let sent = 0;
    await mount(ports({ permissionLevel: async () => 'denied', sendTest: async () => ((sent += 1), { ok: true }) }));
    fireEvent.click(screen.getByRole('button', { name: 'Send a test notification' }));
    await waitFor(() => expect(screen.getByTestId('test-result').textContent).toContain('Notifications are blocked'));
    expect(sent).toBe(0);
  });

  it('test notification: asks the background (runtime message test-notification) when allowed', async () => {
    const seen: unknown[] = [];
    // Answers the way lib/background/index.ts does: sendResponse + `return true`.
    fakeBrowser.runtime.onMessage.addListener(((msg: unknown, _sender: unknown, sendResponse: (r: unknown) => void) => {
      seen.push(msg);
      sendResponse({ ok: true, id: 'x' });
      return true;
    }) as never);
    await mount(ports({ sendTest: browserOptionsPorts().sendTest }));
    fireEvent.click(screen.getByRole('button', { name: 'Send a test notification' }));
    await waitFor(() => expect(screen.getByTestId('test-result').textContent).toContain('Test notification sent'));
    expect(seen).toEqual([{ type: 'test-notification' }]);
  });

  it('test notification: reports a background error', async () => {
    await mount(ports({ sendTest: async () => ({ ok: false, error: 'unknown sender' }) }));
    fireEvent.click(screen.getByRole('button', { name: 'Send a test notification' }));
    await waitFor(() => expect(screen.getByTestId('test-result').textContent).toContain('could not show it: unknown sender'));
  });

  it('a failed settings migration is shown', async () => {
    await problemsItem.setValue({ settings: 'settings v1 → v2: levelsPercent: 150 is not in (0, 100] %' });
    await mount();
    expect(screen.getByRole('alert').textContent).toContain('150 is not in (0, 100] %');
  });

  it('turning sound on asks for its permission in the click; refused, sound stays off and the page says why', async () => {
    const asked: string[] = [];
    let answer: 'granted' | 'denied' = 'denied';
    await mount(ports({ requestSound: async () => (asked.push(answer), answer) }));
    const box = screen.getByLabelText('Sound with critical alerts') as HTMLInputElement;
    fireEvent.click(box);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/did not grant the permission to play sound/));
    expect(box.checked).toBe(false);
    expect(asked).toEqual(['denied']);
    answer = 'granted';
    fireEvent.click(box);
    await waitFor(() => expect(asked).toHaveLength(2));
    expect(box.checked).toBe(true);
    expect(document.getElementById('opt-sound-note')).toBeNull();
    save();
    await waitFor(async () => expect((await settingsItem.getValue()).sound).toBe(true));
    fireEvent.click(box); // turning it off asks nothing
    expect(asked).toHaveLength(2);
  });

  it('states what is read and that nothing leaves the machine', async () => {
    await mount();
    const p = screen.getByRole('region', { name: 'Privacy' }).textContent!;
    expect(p).toContain('no API key');
    expect(p).toContain('Nothing about your account leaves the machine');
    expect(p).toContain('public');
  });
});

describe('draft ⇄ settings', () => {
  it('round-trips the defaults', () => {
    const r = fromDraft(toDraft(DEFAULT_SETTINGS), DEFAULT_SETTINGS);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.settings as EditableSettings).toEqual(DEFAULT_SETTINGS);
    }
  });
  it('rejects no exchange and a zero level', () => {
    const d = { ...toDraft(DEFAULT_SETTINGS), enabledExchanges: [], levels: '0' };
    const r = fromDraft(d, DEFAULT_SETTINGS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.enabledExchanges).toContain('at least one');
      expect(r.errors.levels).toContain('above 0');
    }
  });
});

describe('options: stop and volatility alerts (off by default)', () => {
  it('off by default; turned on and saved as stopAlerts and a fraction; emptied turns the odds alert off', async () => {
    await mount();
    const box = screen.getByLabelText(/no stop-loss, or its stop-loss lies beyond the liquidation price/) as HTMLInputElement;
    expect(box.checked).toBe(false);
    const odds = screen.getByLabelText('Alert when the chance of liquidation within 24 h exceeds (%)') as HTMLInputElement;
    expect(odds.value).toBe('');
    fireEvent.click(box);
    type('Alert when the chance of liquidation within 24 h exceeds (%)', '5');
    save();
    await screen.findByText(/Saved\./);
    let s = await settingsItem.getValue();
    expect([s.stopAlerts, s.liquidationOddsAlert]).toEqual([true, 0.05]);
    type('Alert when the chance of liquidation within 24 h exceeds (%)', '');
    save();
    await waitFor(async () => expect((await settingsItem.getValue()).liquidationOddsAlert).toBeNull());
    s = await settingsItem.getValue();
    expect(s.stopAlerts).toBe(true);
  });
  it('a probability of 0 or over 100 is refused naming the field', async () => {
    await mount();
    type('Alert when the chance of liquidation within 24 h exceeds (%)', '0');
    save();
    expect(await screen.findByText(/must be above 0 %/)).toBeTruthy();
    expect((await settingsItem.getValue()).liquidationOddsAlert).toBeNull();
  });
});
