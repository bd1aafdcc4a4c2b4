/**
 * Options page: alert levels, hysteresis, cooldown, sound, per-position distance alert, enabled
 * exchanges, Hyperliquid addresses, a test notification that checks OS permission first, and the
 * privacy statement. Invalid input names the field and saves nothing.
 */
import { useEffect, useState } from 'preact/hooks';
import { EXCHANGE_NAMES, EXCHANGES, type ExchangeId } from '../../lib/engine/exchanges';
import { GlyphText } from '../GlyphText';
import { fromDraft, toDraft, type Draft, type DraftErrors, type EditableSettings } from './draft';
import { ApiConnections, type ApiPorts } from './ApiConnections';

export interface OptionsPorts {
  /** Stored settings, and a problem to show when they could not be loaded (the stored value is kept). */
  load(): Promise<{ settings: EditableSettings; problem: string | null }>;
  save(settings: EditableSettings): Promise<void>;
  /** 'granted' | 'denied', or null where the browser cannot tell (Firefox). */
  permissionLevel(): Promise<'granted' | 'denied' | null>;
  /** Ask the background to show a test notification. */
  sendTest(): Promise<{ ok: boolean; error?: string }>;
  /**
   * Ask for what playing the alert sound needs (Chrome: the optional `offscreen` permission), from
   * the user's click on the sound checkbox: 'granted', 'denied', or 'not-needed' where nothing
   * has to be asked (the browser plays it without an optional permission).
   */
  requestSound(): Promise<'granted' | 'denied' | 'not-needed'>;
}

type TestState = { kind: 'idle' } | { kind: 'busy' } | { kind: 'ok' | 'blocked' | 'error'; text: string };

export function OptionsApp({ ports, api }: { ports: OptionsPorts; api?: ApiPorts }) {
  const [base, setBase] = useState<EditableSettings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const [soundNote, setSoundNote] = useState<string | null>(null);

  useEffect(() => {
    void ports.load().then(
      ({ settings, problem: p }) => {
        setBase(settings);
        setDraft(toDraft(settings));
        setProblem(p);
      },
      (e) => setProblem(`could not read settings: ${e instanceof Error ? e.message : String(e)}`),
    );
  }, [ports]);

  if (!draft || !base) {
    return (
      <main class="options">
        <h1>Margin Sentinel options</h1>
        {problem ? <p class="notice notice-bad" role="alert">{problem}</p> : <p role="status">Loading…</p>}
      </main>
    );
  }

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft({ ...draft, [k]: v });
    setSaved(null);
  };
  const onSave = async (e: Event) => {
    e.preventDefault();
    const r = fromDraft(draft, base);
    if (!r.ok) {
      setErrors(r.errors);
      setSaved(null);
      const first = Object.keys(r.errors)[0];
      if (first) document.getElementById(`opt-${first}`)?.focus();
      return;
    }
    try {
      await ports.save(r.settings);
      setBase(r.settings);
      setErrors({});
      setSaved('Saved. The monitor uses the new settings at once.');
    } catch (err) {
      setSaved(null);
      setErrors({ levels: `could not save: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  const onTest = async () => {
    setTest({ kind: 'busy' });
    try {
      const level = await ports.permissionLevel();
      if (level === 'denied') {
        setTest({
          kind: 'blocked',
          text: 'Notifications are blocked for this browser. Allow them in your system settings (Windows: Notifications; macOS: System Settings → Notifications → your browser) and check Do Not Disturb / Focus.',
        });
        return;
      }
      const r = await ports.sendTest();
      if (!r.ok) setTest({ kind: 'error', text: `The monitor could not show it: ${r.error ?? 'no answer from the background'}` });
      else
        setTest({
          kind: 'ok',
          text: 'Test notification sent. If none appeared, your system is hiding it (Do Not Disturb / Focus, or the browser is not allowed to notify).',
        });
    } catch (err) {
      setTest({ kind: 'error', text: `The monitor did not answer: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const field = (k: keyof Draft, label: string, hint: string, extra: Record<string, unknown> = {}) => (
    <div class="opt-field">
      <label for={`opt-${k}`}>{label}</label>
      <input
        id={`opt-${k}`}
        value={String(draft[k])}
        onInput={(e) => set(k, (e.currentTarget as HTMLInputElement).value as never)}
        inputMode="decimal"
        aria-invalid={errors[k] ? 'true' : undefined}
        aria-describedby={`opt-${k}-hint${errors[k] ? ` opt-${k}-err` : ''}`}
        {...extra}
      />
      <span class="hint" id={`opt-${k}-hint`}>
        {hint}
      </span>
      {errors[k] && (
        <span class="field-error" id={`opt-${k}-err`} role="alert">
          {label}: {errors[k]}
        </span>
      )}
    </div>
  );
  const okxHint = (() => {
    const xs = draft.levels.split(/[,;\s]+/).filter((t) => /^\d+(\.\d+)?$/.test(t) && Number(t) > 0);
    return xs.length ? `OKX shows these as margin ratio ${xs.map((t) => `${Math.round(10000 / Number(t))} %`).join(', ')} (higher is safer).` : '';
  })();
  const toggleExchange = (x: ExchangeId, on: boolean) =>
    set('enabledExchanges', on ? [...new Set([...draft.enabledExchanges, x])] : draft.enabledExchanges.filter((e) => e !== x));

  return (
    <main class="options">
      <h1>Margin Sentinel options</h1>
      {problem && (
        <p class="notice notice-bad" role="alert">
          {problem}
        </p>
      )}
      <form onSubmit={onSave} noValidate>
        <fieldset>
          <legend>Alerts</legend>
          {field('levels', 'Alert levels (%)', `Margin ratio as Binance, Bybit and Hyperliquid show it (maintenance margin / margin balance); 100 % = liquidation. Comma-separated. ${okxHint}`)}
          {field('hysteresis', 'Hysteresis (percentage points)', 'A level re-arms only after the ratio falls this far below it, so a ratio hovering at a level does not alert again and again.')}
          {field('cooldown', 'Cooldown (minutes)', 'Least time between two alerts for the same level or position.')}
          {field('distance', 'Position distance alert (%)', 'Alert when a position comes this close to its liquidation price. 0 turns it off.')}
          <div class="opt-check">
            <input id="opt-stopAlerts" type="checkbox" checked={draft.stopAlerts} onChange={(e) => set('stopAlerts', (e.currentTarget as HTMLInputElement).checked)} />
            <label for="opt-stopAlerts">Alert when a position has no stop-loss, or its stop-loss lies beyond the liquidation price (it would never fire)</label>
          </div>
          {field('oddsAlert', 'Alert when the chance of liquidation within 24 h exceeds (%)', 'Driftless Brownian model with the 1-day σ from 7 days of 1-hour candles. Empty turns it off.')}
          {field('priceMaxAge', 'Prices stale after (seconds)', 'With positions open, no live price for this long counts as stale and alerts you.')}
          {field('snapshotMaxAge', 'Page stale after (minutes)', 'With positions open, no read of the exchange page for this long counts as stale.')}
          {field('marginLevels', 'Spot margin alert levels', 'Binance Cross/Isolated Margin "Margin Level" as Binance shows it (higher is safer), e.g. 2, 1.5, 1.3. Comma-separated.')}
          {field('marginLiquidation', 'Spot margin liquidation line', 'The margin level at which the account is liquidated when the page does not say (Binance: 1.1; Cross Margin Pro: 1.0).')}
          <div class="opt-field">
            <label for="opt-display">Show ratios as</label>
            <select id="opt-display" value={draft.display} onChange={(e) => set('display', (e.currentTarget as HTMLSelectElement).value as Draft['display'])}>
              <option value="exchange">each exchange's own margin ratio</option>
              <option value="risk-ratio">risk ratio (100 % = liquidation)</option>
              <option value="margin-level">margin level (100 % = liquidation, higher is safer)</option>
            </select>
          </div>
          <div class="opt-check">
            <input id="opt-notifications" type="checkbox" checked={draft.notifications} onChange={(e) => set('notifications', (e.currentTarget as HTMLInputElement).checked)} />
            <label for="opt-notifications">Desktop notifications (the toolbar badge always updates)</label>
          </div>
          <div class="opt-check">
            <input
              id="opt-sound"
              type="checkbox"
              checked={draft.sound}
              onChange={(e) => {
                const on = (e.currentTarget as HTMLInputElement).checked;
                set('sound', on);
                setSoundNote(null);
                if (!on) return;
                // Asked inside the click (a user gesture); refused → sound stays off, said so.
                ports.requestSound().then(
                  (r) => {
                    if (r !== 'denied') return;
                    set('sound', false);
                    setSoundNote('The browser did not grant the permission to play sound, so sound stays off. Notifications still alert you.');
                  },
                  (err: unknown) => {
                    set('sound', false);
                    setSoundNote(`Sound could not be turned on: ${err instanceof Error ? err.message : String(err)}`);
                  },
                );
              }}
            />
            <label for="opt-sound">Sound with critical alerts</label>
            {soundNote && (
              <p class="opt-err" role="alert" id="opt-sound-note">
                {soundNote}
              </p>
            )}
          </div>
        </fieldset>

        <fieldset aria-describedby={errors.enabledExchanges ? 'opt-enabledExchanges-err' : undefined}>
          <legend>Exchanges</legend>
          {EXCHANGES.map((x) => (
            <div class="opt-check" key={x}>
              <input
                id={`opt-ex-${x}`}
                type="checkbox"
                checked={draft.enabledExchanges.includes(x)}
                onChange={(e) => toggleExchange(x, (e.currentTarget as HTMLInputElement).checked)}
              />
              <label for={`opt-ex-${x}`}>
                <GlyphText text={EXCHANGE_NAMES[x]} />
              </label>
            </div>
          ))}
          {errors.enabledExchanges && (
            <span class="field-error" id="opt-enabledExchanges-err" role="alert">
              Exchanges: {errors.enabledExchanges}
            </span>
          )}
        </fieldset>

        <fieldset>
          <legend>Hyperliquid wallets (no tab needed)</legend>
          <div class="opt-field">
            <label for="opt-addresses">Addresses to watch, one per line (at most 5)</label>
            <textarea
              id="opt-addresses"
              rows={3}
              value={draft.addresses}
              spellcheck={false}
              onInput={(e) => set('addresses', (e.currentTarget as HTMLTextAreaElement).value)}
              aria-invalid={errors.addresses ? 'true' : undefined}
              aria-describedby={`opt-addresses-hint${errors.addresses ? ' opt-addresses-err' : ''}`}
            />
            <span class="hint" id="opt-addresses-hint">
              Public 0x addresses. Their positions are read from Hyperliquid's public info endpoint; no key, no signature.
            </span>
            {errors.addresses && (
              <span class="field-error" id="opt-addresses-err" role="alert">
                Hyperliquid addresses: {errors.addresses}
              </span>
            )}
          </div>
        </fieldset>

        <div class="buttons">
          <button type="submit">Save</button>
          <button
            type="button"
            onClick={() => {
              setDraft(toDraft(base));
              setErrors({});
              setSaved(null);
            }}
          >
            Undo changes
          </button>
        </div>
        <p role="status" class="saved">
          {saved ?? (Object.keys(errors).length ? 'Not saved: fix the fields marked above. Your saved settings are unchanged.' : '')}
        </p>
      </form>

      <section aria-labelledby="test-h">
        <h2 id="test-h">Check notifications</h2>
        <button type="button" onClick={onTest} disabled={test.kind === 'busy'}>
          Send a test notification
        </button>
        <p role="status" class={`test-${test.kind}`} data-testid="test-result">
          {test.kind === 'busy' ? 'Checking…' : test.kind === 'idle' ? '' : test.text}
        </p>
      </section>

      {api && <ApiConnections ports={api} />}

      <section aria-labelledby="privacy-h" class="privacy">
        <h2 id="privacy-h">Privacy</h2>
        <p>
          Margin Sentinel reads your open positions, balances and the exchange's displayed figures from the futures pages of Binance, Bybit, OKX and Hyperliquid that
          you open yourself. It needs no API key and never reads cookies, passwords, session tokens or request headers.
        </p>
        <p>
          Everything is computed and stored on this computer. Nothing about your account leaves the machine. The only network traffic is to the exchanges' public
          market data: subscriptions to mark prices of the symbols you hold, maintenance tier tables, and, for Hyperliquid addresses you enter above, the public info
          endpoint for those addresses.
        </p>
        <p>
          Only if you connect a read-only API key above: signed read requests (your API key id, a timestamp and a signature) go to that exchange's own API, and
          nowhere else. Your browser asks you to allow that exchange's API host when you connect.
        </p>
      </section>
    </main>
  );
}
