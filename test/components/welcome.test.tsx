// @vitest-environment happy-dom
/** Welcome page: notification state and test, host access where withheld, the supported pages with links. */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { SUPPORTED_PAGES, WelcomeApp, type WelcomePorts } from '../../components/welcome/WelcomeApp';
import { EXCHANGE_META } from '../../lib/exchanges/meta';

afterEach(cleanup);

type Counting = WelcomePorts & { tests: number; asked: number };

function ports(over: Partial<WelcomePorts> = {}): Counting {
  const p: Counting = {
    tests: 0,
    asked: 0,
    permissionLevel: async () => 'granted',
    sendTest: async () => (p.tests++, { ok: true }),
    hostAccess: async () => true,
    requestHostAccess: async () => (p.asked++, true),
    optionsUrl: 'ext:/options.html',
    ...over,
  };
  return p;
}

describe('WelcomeApp', () => {
  it('lists every exchange that has a page reader, linking its trade page (COIN-M has none)', () => {
    render(<WelcomeApp ports={ports()} />);
    const links = screen.getAllByRole('link').filter((a) => a.closest('.w-pages'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual(SUPPORTED_PAGES.map((p) => p.url));
    expect(SUPPORTED_PAGES.map((p) => p.id)).toEqual(['binance-usdm', 'bybit', 'okx', 'hyperliquid']);
    for (const p of SUPPORTED_PAGES) expect(p.url).toBe(EXCHANGE_META[p.id].tradePage);
    expect(screen.getByRole('link', { name: 'options' }).getAttribute('href')).toBe('ext:/options.html');
  });

  it('sends a test notification on click and says what to do if none appears', async () => {
    const p = ports();
    render(<WelcomeApp ports={p} />);
    fireEvent.click(screen.getByRole('button', { name: 'Send a test notification' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/test alert/));
    expect(p.tests).toBe(1);
  });

  it('blocked notifications: says how to allow them and sends nothing', async () => {
    const p = ports({ permissionLevel: async () => 'denied' });
    render(<WelcomeApp ports={p} />);
    await waitFor(() => expect(document.querySelector('[data-state="denied"]')).not.toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Send a test notification' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/blocked/));
    expect(p.tests).toBe(0);
  });

  it('asks for access to the exchange pages only when it was withheld, inside the click', async () => {
    const granted = ports();
    const { unmount } = render(<WelcomeApp ports={granted} />);
    await Promise.resolve();
    expect(screen.queryByRole('button', { name: /Allow access/ })).toBeNull();
    unmount();
    const withheld = ports({ hostAccess: async () => false });
    render(<WelcomeApp ports={withheld} />);
    const btn = await screen.findByRole('button', { name: 'Allow access to the exchange pages' });
    fireEvent.click(btn);
    await waitFor(() => expect(screen.queryByRole('button', { name: /Allow access/ })).toBeNull());
    expect(withheld.asked).toBe(1);
  });
});
