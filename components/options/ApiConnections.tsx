/**
 * Options page section: the optional read-only API connection per exchange (issue 18), step by
 * step (generate key → show public key → paste API key → check → connected / refused with the
 * reason; remove key). Text and steps come from lib/view/api-connect.ts; this file only renders.
 */
import { useEffect, useState } from 'preact/hooks';
import { API_EXCHANGES, API_NAMES, type ApiExchange } from '../../lib/api/exchanges';
import type { ApiConnectionReply } from '../../lib/protocol';
import type { ApiConnectionStatus } from '../../lib/storage/api-status';
import { API_GUIDES, apiStatusText, apiStep, type ApiKeyView } from '../../lib/view/api-connect';

export interface ApiPorts {
  /** What is stored per exchange (never key material). */
  keys(): Promise<Partial<Record<ApiExchange, ApiKeyView>>>;
  statuses(): Promise<Partial<Record<ApiExchange, ApiConnectionStatus>>>;
  /** Follow status changes written by the worker; returns an unsubscribe function. */
  watchStatuses(cb: (s: Partial<Record<ApiExchange, ApiConnectionStatus>>) => void): () => void;
  /** Generate and store a key pair (Binance Ed25519, Bybit RSA). */
  generate(exchange: ApiExchange): Promise<void>;
  setApiKey(exchange: ApiExchange, apiKey: string): Promise<void>;
  /** OKX: import the secret as a non-extractable HMAC key and store it with the key and passphrase. */
  setOkx(apiKey: string, secret: string, passphrase: string): Promise<void>;
  /** Ask for the exchange's API hosts (must run inside the click). */
  requestHosts(exchange: ApiExchange): Promise<boolean>;
  send(action: 'check' | 'remove', exchange: ApiExchange): Promise<ApiConnectionReply>;
  /** Delete the key locally (used when the worker cannot be reached). */
  forget(exchange: ApiExchange): Promise<void>;
}

type Drafts = Partial<Record<ApiExchange, { apiKey?: string; secret?: string; passphrase?: string }>>;

export function ApiConnections({ ports, now = Date.now }: { ports: ApiPorts; now?: () => number }) {
  const [keys, setKeys] = useState<Partial<Record<ApiExchange, ApiKeyView>>>({});
  const [statuses, setStatuses] = useState<Partial<Record<ApiExchange, ApiConnectionStatus>>>({});
  const [busy, setBusy] = useState<ApiExchange | null>(null);
  const [errors, setErrors] = useState<Partial<Record<ApiExchange, string>>>({});
  const [drafts, setDrafts] = useState<Drafts>({});

  const reload = async () => {
    setKeys(await ports.keys());
    setStatuses(await ports.statuses());
  };
  useEffect(() => {
    void reload().catch((e) => setErrors({ binance: `could not read stored keys: ${e instanceof Error ? e.message : String(e)}` }));
    return ports.watchStatuses(setStatuses);
  }, [ports]);

  const draft = (x: ApiExchange) => drafts[x] ?? {};
  const setDraft = (x: ApiExchange, k: 'apiKey' | 'secret' | 'passphrase', v: string) => setDrafts({ ...drafts, [x]: { ...draft(x), [k]: v } });
  const run = async (x: ApiExchange, f: () => Promise<void>) => {
    setBusy(x);
    setErrors({ ...errors, [x]: undefined });
    try {
      await f();
    } catch (e) {
      setErrors({ ...errors, [x]: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(null);
      await reload().catch(() => {});
    }
  };
  /** Request the hosts inside the click, then store what `store` stores, then ask the worker to check. */
  const connect = (x: ApiExchange, store?: () => Promise<void>) => {
    const granted = ports.requestHosts(x);
    void run(x, async () => {
      if (!(await granted)) throw new Error('the browser did not grant access to the exchange\'s API host, so nothing was sent');
      if (store) await store();
      const r = await ports.send('check', x);
      if (!r.ok) throw new Error(r.error);
    });
  };
  const remove = (x: ApiExchange) =>
    void run(x, async () => {
      const r = await ports.send('remove', x).catch(() => null);
      if (!r?.ok) await ports.forget(x);
      setDrafts({ ...drafts, [x]: {} });
    });

  return (
    <section aria-labelledby="api-h" class="api">
      <h2 id="api-h">Read-only API connection (optional)</h2>
      <p class="hint">
        Off unless you connect. With a key that can only read, Margin Sentinel reads your positions and balances from the exchange itself, also with every
        exchange tab closed. It refuses any key that can trade, transfer or withdraw. Requests go only to that exchange; the private key never leaves this
        browser and cannot be exported.
      </p>
      {API_EXCHANGES.map((x) => {
        const key = keys[x] ?? null;
        const status = statuses[x];
        const step = apiStep(key, status);
        const text = apiStatusText(step, status, now());
        const guide = API_GUIDES[x];
        const id = (s: string) => `api-${x}-${s}`;
        return (
          <fieldset key={x} data-testid={id('box')} data-step={step}>
            <legend>{API_NAMES[x]}</legend>
            <p class="hint">{guide.keyKind}</p>
            {step === 'generate' && x !== 'okx' && (
              <button type="button" disabled={busy !== null} onClick={() => void run(x, () => ports.generate(x))} id={id('generate')}>
                Generate a key
              </button>
            )}
            {((step === 'register' && x !== 'okx') || (step === 'generate' && x === 'okx')) && (
              <ol class="api-steps">
                {guide.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
            )}
            {key?.publicKeyPem && step !== 'connected' && (
              <div class="opt-field">
                <label for={id('pem')}>Public key to paste at the exchange</label>
                <textarea id={id('pem')} readOnly rows={key.publicKeyPem.split('\n').length} value={key.publicKeyPem} spellcheck={false} />
              </div>
            )}
            {step === 'register' && x !== 'okx' && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  const apiKey = (draft(x).apiKey ?? '').trim();
                  if (!apiKey) return setErrors({ ...errors, [x]: 'paste the API key the exchange showed' });
                  connect(x, () => ports.setApiKey(x, apiKey));
                }}
              >
                <div class="opt-field">
                  <label for={id('apikey')}>API key from {API_NAMES[x].split(' ')[0]}</label>
                  <input id={id('apikey')} value={draft(x).apiKey ?? ''} onInput={(e) => setDraft(x, 'apiKey', (e.currentTarget as HTMLInputElement).value)} spellcheck={false} autoComplete="off" />
                </div>
                <button type="submit" disabled={busy !== null}>
                  Connect
                </button>
              </form>
            )}
            {step === 'generate' && x === 'okx' && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  const d = draft(x);
                  const [k, s, p] = [(d.apiKey ?? '').trim(), (d.secret ?? '').trim(), d.passphrase ?? ''];
                  if (!k || !s || !p) return setErrors({ ...errors, [x]: 'API key, secret key and passphrase are all needed' });
                  connect(x, async () => {
                    await ports.setOkx(k, s, p);
                    setDrafts({ ...drafts, okx: {} });
                  });
                }}
              >
                {(['apiKey', 'secret', 'passphrase'] as const).map((f) => (
                  <div class="opt-field" key={f}>
                    <label for={id(f)}>{f === 'apiKey' ? 'API key' : f === 'secret' ? 'Secret key' : 'Passphrase'}</label>
                    <input
                      id={id(f)}
                      type={(f === 'apiKey' ? 'text' : 'password') as 'password'}
                      value={draft(x)[f] ?? ''}
                      onInput={(e) => setDraft(x, f, (e.currentTarget as HTMLInputElement).value)}
                      spellcheck={false}
                      autoComplete="off"
                    />
                  </div>
                ))}
                <button type="submit" disabled={busy !== null}>
                  Connect
                </button>
              </form>
            )}
            {(step === 'check' || step === 'connected' || step === 'refused') && (
              <button type="button" disabled={busy !== null} onClick={() => connect(x)} id={id('check')}>
                {step === 'check' ? 'Check the key' : 'Check again'}
              </button>
            )}
            <p role="status" class={`api-status api-${step}`} data-testid={id('status')}>
              {busy === x ? 'Working…' : text ?? ''}
            </p>
            {errors[x] && (
              <p class="field-error" role="alert">
                {API_NAMES[x]}: {errors[x]}
              </p>
            )}
            {key && (
              <button type="button" disabled={busy !== null} onClick={() => remove(x)} id={id('remove')}>
                Remove key
              </button>
            )}
            {key && <p class="hint">Removing deletes the key from this browser; delete it at the exchange too.</p>}
          </fieldset>
        );
      })}
    </section>
  );
}
