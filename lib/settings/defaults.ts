/**
 * The settings defaults and the per-account rule, without the valibot schema (./schema.ts), so
 * pages that only read settings (the popup) bundle neither valibot nor the migrations.
 * ./schema.ts checks at compile time that {@link DEFAULT_SETTINGS} is a valid `UserSettings`.
 */
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../alerts/machine';
import { DEFAULT_MARGIN_ALERTS } from '../alerts/margin';
import type { DisplayConvention } from '../alerts/thresholds';
import { EXCHANGES } from '../engine/exchanges';

/** Current stored version of the settings (history in ./schema.ts). */
export const SETTINGS_VERSION = 3;

/** Defaults: 50/70/80/90 %, exchange convention, notifications on, no watched addresses, sound off, every exchange. */
export const DEFAULT_SETTINGS = {
  alerts: { ...DEFAULT_ALERT_SETTINGS, levels: [...DEFAULT_ALERT_SETTINGS.levels] },
  perAccount: {} as Record<string, Partial<AlertSettings>>,
  display: 'exchange' as DisplayConvention,
  notifications: true,
  hyperliquidAddresses: [] as string[],
  sound: false,
  enabledExchanges: [...EXCHANGES],
  /** Spot margin alert levels (margin levels, higher is safer) and the default liquidation line. */
  marginAlerts: { levels: [...DEFAULT_MARGIN_ALERTS.levels], liquidation: DEFAULT_MARGIN_ALERTS.liquidation },
  stopAlerts: false,
  liquidationOddsAlert: null as number | null,
};

/**
 * Effective alert settings for an account: the global settings with the account's overrides
 * (`perAccount[accountKey]`) on top.
 */
export function alertSettingsFor(settings: { alerts: AlertSettings; perAccount: Readonly<Record<string, Partial<AlertSettings>>> }, accountKey: string): AlertSettings {
  return { ...settings.alerts, ...(settings.perAccount[accountKey] ?? {}) } as AlertSettings;
}

/** The spot margin alert settings in force: the stored ones, else the defaults. */
export function marginAlertsOf(settings: { marginAlerts?: { levels: number[]; liquidation: number } }): { levels: number[]; liquidation: number } {
  return settings.marginAlerts ?? DEFAULT_MARGIN_ALERTS;
}
