/** The popup: one card per monitored account, or what to do when there is none. */
import type { PopupModel } from '../../lib/view/popup';
import type { MarginCardView } from '../../lib/view/margin';
import { AccountCard } from './AccountCard';
import { MarginCard } from './MarginCard';

export function NoAccounts({ onOptions }: { onOptions?: (() => void) | undefined }) {
  return (
    <div class="empty" data-state="no-page" role="status">
      <h2>No exchange page open yet</h2>
      <p>Margin Sentinel reads your positions from the exchange's own futures page. Open one of these and log in:</p>
      <ul>
        <li>Binance USDⓈ-M or COIN-M futures (www.binance.com/…/futures)</li>
        <li>Bybit derivatives (www.bybit.com/trade/usdt)</li>
        <li>OKX swap trading (www.okx.com/trade-swap)</li>
        <li>Hyperliquid (app.hyperliquid.xyz/trade)</li>
      </ul>
      <p>
        Keep the Positions tab visible. To watch a Hyperliquid wallet without a tab, add its address in{' '}
        {onOptions ? (
          <button type="button" class="link" onClick={onOptions}>
            options
          </button>
        ) : (
          'options'
        )}
        .
      </p>
    </div>
  );
}

/** `margin`: spot margin cards; null while they load (then "Loading…", never "no exchange page"). */
export function PopupApp({ model, onOptions, margin = [] }: { model: PopupModel; onOptions?: () => void; margin?: MarginCardView[] | null }) {
  return (
    <main class="popup">
      <header class="app-head">
        <h1>Margin Sentinel</h1>
        {onOptions && (
          <button type="button" class="link" onClick={onOptions} aria-label="Open options">
            Options
          </button>
        )}
      </header>
      {model.problems.map((p) => (
        <p class="notice notice-bad" role="alert" key={p}>
          {p}
        </p>
      ))}
      {!model.loaded || (margin === null && model.accounts.length === 0) ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : model.accounts.length === 0 && margin?.length === 0 ? (
        <NoAccounts onOptions={onOptions} />
      ) : (
        model.accounts.map((a) => <AccountCard key={a.key} account={a} now={model.now} />)
      )}
      {model.loaded && margin?.map((m) => <MarginCard key={m.key} view={m} />)}
    </main>
  );
}
