/**
 * Welcome page, opened once on install (lib/background/first-run.ts): checks that notifications
 * can show and sends a test one, asks for access to the exchange pages where the browser let the
 * user withhold it (Firefox), lists the supported pages with links, and points at the alert levels.
 */
import { useEffect, useState } from 'preact/hooks';
import { EXCHANGE_META } from '../../lib/exchanges/meta';
import { EXCHANGES } from '../../lib/engine/exchanges';
import { GlyphText } from '../GlyphText';

export interface WelcomePorts {
  /** 'granted' | 'denied', or null where the browser cannot tell (Firefox). */
  permissionLevel(): Promise<'granted' | 'denied' | null>;
  sendTest(): Promise<{ ok: boolean; error?: string }>;
  /** Whether the extension may run on the exchange pages and fetch their public tables. */
  hostAccess(): Promise<boolean>;
  /** Ask for that access (inside the user's click). */
  requestHostAccess(): Promise<boolean>;
  optionsUrl: string;
}

type Test = { kind: 'idle' | 'busy' } | { kind: 'ok' | 'bad'; text: string };

/** Supported pages: exchanges with a page reader, with the page to open. */
export const SUPPORTED_PAGES = EXCHANGES.filter((id) => EXCHANGE_META[id].matches.length > 0).map((id) => ({ id, label: EXCHANGE_META[id].label, url: EXCHANGE_META[id].tradePage }));

export function WelcomeApp({ ports }: { ports: WelcomePorts }) {
  const [level, setLevel] = useState<'granted' | 'denied' | null | undefined>(undefined);
  const [access, setAccess] = useState<boolean | undefined>(undefined);
  const [test, setTest] = useState<Test>({ kind: 'idle' });

  useEffect(() => {
    void ports.permissionLevel().then(setLevel, () => setLevel(null));
    void ports.hostAccess().then(setAccess, () => setAccess(undefined));
  }, [ports]);

  const onTest = async () => {
    setTest({ kind: 'busy' });
    try {
      const l = await ports.permissionLevel();
      setLevel(l);
      if (l === 'denied') {
        setTest({ kind: 'bad', text: 'Notifications are blocked for this browser: allow them in your system settings, then try again.' });
        return;
      }
      const r = await ports.sendTest();
      setTest(
        r.ok
          ? { kind: 'ok', text: 'Sent. You should see “Margin Sentinel: test alert” now. Nothing? Your system is hiding it: see “Notifications do not appear” below.' }
          : { kind: 'bad', text: `The monitor could not show it: ${r.error ?? 'no answer from the background'}` },
      );
    } catch (e) {
      setTest({ kind: 'bad', text: `The monitor did not answer: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  return (
    <main class="welcome">
      <h1>Margin Sentinel is installed</h1>
      <p>It watches the margin ratio of your futures account on the exchange page you already use, and alerts you before liquidation. Three steps:</p>

      <section aria-labelledby="w-notify">
        <h2 id="w-notify">1. Make sure alerts can reach you</h2>
        {level === 'denied' ? (
          <p class="w-bad" role="alert" data-state="denied">
            Notifications are blocked for this browser. Allow them in your system settings (Windows: Settings → System → Notifications; macOS:
            System Settings → Notifications → your browser) and turn off Do Not Disturb / Focus while you trade.
          </p>
        ) : (
          <p data-state={level ?? 'unknown'}>The browser lets Margin Sentinel notify you. Your system can still hide notifications (Do Not Disturb / Focus): send a test.</p>
        )}
        <button type="button" id="w-test" onClick={onTest} disabled={test.kind === 'busy'}>
          Send a test notification
        </button>
        {(test.kind === 'ok' || test.kind === 'bad') && (
          <p id="w-test-result" class={test.kind === 'ok' ? 'w-ok' : 'w-bad'} role="status">
            {test.text}
          </p>
        )}
        {access === false && (
          <div class="w-access" role="alert">
            <p class="w-bad">Margin Sentinel is not allowed to read the exchange pages yet, so it cannot see your account.</p>
            <button type="button" id="w-access" onClick={() => void ports.requestHostAccess().then(setAccess, () => setAccess(false))}>
              Allow access to the exchange pages
            </button>
          </div>
        )}
      </section>

      <section aria-labelledby="w-pages">
        <h2 id="w-pages">2. Open your futures page</h2>
        <p>Log in as usual and open one of these pages; the toolbar badge then shows your margin ratio. It reads only what the page shows you.</p>
        <ul class="w-pages">
          {SUPPORTED_PAGES.map((p) => (
            <li key={p.id} data-exchange={p.id}>
              <a href={p.url} target="_blank" rel="noopener noreferrer">
                <GlyphText text={p.label} />
              </a>{' '}
              <span class="hint">{p.url}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="w-levels">
        <h2 id="w-levels">3. Choose your alert levels</h2>
        <p>
          By default you are alerted at margin ratio 50, 70, 80 and 90 %. Change them, and turn on sound for the last one, in the{' '}
          <a href={ports.optionsUrl} id="w-options">options</a>.
        </p>
      </section>
    </main>
  );
}
