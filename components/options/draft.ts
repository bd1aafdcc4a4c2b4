/**
 * Options form ⇄ settings. The form edits text (a draft); saving converts and validates every
 * field, and on any error saves nothing, keeps the draft, and names the field.
 *
 * Units shown to the user: levels in percent of the margin ratio of Binance/Bybit/Hyperliquid
 * (= the normalized risk ratio; 100 % = liquidation), hysteresis in percentage points, cooldown in
 * minutes, distance alert in percent, price staleness in seconds, page staleness in minutes.
 * Stored (lib/settings/schema.ts): fractions and milliseconds.
 */
import { marginAlertsOf } from '../../lib/settings/defaults';
import { EXCHANGES, type ExchangeId } from '../../lib/engine/exchanges';
import { validateSettings, type UserSettings } from '../../lib/settings/schema';

/** The settings the options page edits: all of them (settings v3). */
export type EditableSettings = UserSettings;

export interface Draft {
  levels: string;
  hysteresis: string;
  cooldown: string;
  distance: string;
  priceMaxAge: string;
  snapshotMaxAge: string;
  display: UserSettings['display'];
  notifications: boolean;
  sound: boolean;
  enabledExchanges: ExchangeId[];
  addresses: string;
  /** Spot margin alert levels as Binance shows margin levels, e.g. "2, 1.5, 1.3" (higher is safer). */
  marginLevels: string;
  /** Spot margin liquidation line, e.g. "1.1". */
  marginLiquidation: string;
  /** Alert on a position without a stop-loss or with one beyond liquidation. */
  stopAlerts: boolean;
  /** Alert above this 24 h liquidation probability, percent; empty = off. */
  oddsAlert: string;
}
export type DraftErrors = Partial<Record<keyof Draft, string>>;

/** A number for the form, without float noise: 0.7 × 100 → "70". */
function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}

export function toDraft(s: EditableSettings): Draft {
  return {
    levels: s.alerts.levels.map((l) => num(l * 100)).join(', '),
    hysteresis: num(s.alerts.hysteresis * 100),
    cooldown: num(s.alerts.cooldownMs / 60_000),
    distance: num(s.alerts.positionDistance * 100),
    priceMaxAge: num(s.alerts.priceMaxAgeMs / 1000),
    snapshotMaxAge: num(s.alerts.snapshotMaxAgeMs / 60_000),
    display: s.display,
    notifications: s.notifications,
    sound: s.sound,
    enabledExchanges: [...s.enabledExchanges],
    addresses: s.hyperliquidAddresses.join('\n'),
    marginLevels: marginAlertsOf(s).levels.map(num).join(', '),
    marginLiquidation: num(marginAlertsOf(s).liquidation),
    stopAlerts: s.stopAlerts ?? false,
    oddsAlert: s.liquidationOddsAlert == null ? '' : num(s.liquidationOddsAlert * 100),
  };
}

const NUMBER_RE = /^\d+(?:\.\d+)?$/;

/** A setting (not money): a plain non-negative number typed by the user, in [min, max]. */
function parseSetting(text: string, min: number, max: number, unit: string): number | string {
  const t = text.trim();
  if (!NUMBER_RE.test(t)) return t === '' ? 'required' : `must be a number (got "${t}")`;
  const x = Number(t);
  if (x < min || x > max) return `must be between ${min} and ${max} ${unit}`;
  return x;
}

/**
 * Draft → settings, on top of `base` (fields the page does not edit are kept).
 * @returns the settings, or the errors by field (nothing is half-applied)
 */
export function fromDraft(d: Draft, base: EditableSettings): { ok: true; settings: EditableSettings } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const levelTexts = d.levels.split(/[,;\s]+/).filter(Boolean);
  const levels: number[] = [];
  if (!levelTexts.length) errors.levels = 'needs at least one level, e.g. 70, 80, 90';
  for (const t of levelTexts) {
    const x = parseSetting(t, 0, 100, '%');
    if (typeof x === 'string') {
      errors.levels = `${t}: ${x}`;
      break;
    }
    if (x === 0) {
      errors.levels = 'levels must be above 0 %';
      break;
    }
    levels.push(x / 100);
  }
  const unique = [...new Set(levels)].sort((a, b) => a - b);
  if (!errors.levels && unique.length > 8) errors.levels = 'at most 8 levels';
  const field = <K extends keyof Draft>(k: K, min: number, max: number, unit: string): number => {
    const x = parseSetting(String(d[k]), min, max, unit);
    if (typeof x === 'string') {
      errors[k] = x;
      return NaN;
    }
    return x;
  };
  const hysteresis = field('hysteresis', 0, 50, 'percentage points');
  const cooldown = field('cooldown', 0, 7 * 24 * 60, 'minutes');
  const distance = field('distance', 0, 100, '%');
  const priceMaxAge = field('priceMaxAge', 5, 3600, 'seconds');
  const snapshotMaxAge = field('snapshotMaxAge', 0.5, 24 * 60, 'minutes');
  const addresses = d.addresses.split(/[\s,]+/).filter(Boolean);
  const badAddress = addresses.find((a) => !/^0x[0-9a-fA-F]{40}$/.test(a));
  if (badAddress) errors.addresses = `${badAddress.slice(0, 50)}: must be a 0x… address of 40 hex digits`;
  else if (addresses.length > 5) errors.addresses = 'at most 5 addresses';
  if (!d.enabledExchanges.length) errors.enabledExchanges = 'enable at least one exchange';
  // Spot margin levels (higher is safer): each above the liquidation line.
  const marginLiquidation = parseSetting(d.marginLiquidation ?? '1.1', 1, 2, '');
  if (typeof marginLiquidation === 'string') errors.marginLiquidation = marginLiquidation;
  const marginLevels: number[] = [];
  const marginTexts = (d.marginLevels ?? '').split(/[,;\s]+/).filter(Boolean);
  if (!marginTexts.length) errors.marginLevels = 'needs at least one level, e.g. 2, 1.5, 1.3';
  for (const t of marginTexts) {
    const x = parseSetting(t, 1, 100, '');
    if (typeof x === 'string') {
      errors.marginLevels = `${t}: ${x}`;
      break;
    }
    if (typeof marginLiquidation === 'number' && x <= marginLiquidation) {
      errors.marginLevels = `${t}: must be above the liquidation line ${marginLiquidation}`;
      break;
    }
    marginLevels.push(x);
  }
  const marginUnique = [...new Set(marginLevels)].sort((a, b) => b - a);
  if (!errors.marginLevels && marginUnique.length > 8) errors.marginLevels = 'at most 8 levels';
  let oddsAlert: number | null = null;
  if (d.oddsAlert.trim() !== '') {
    const x = field('oddsAlert', 0, 100, '%');
    if (x === 0) errors.oddsAlert = 'must be above 0 % (leave empty to turn it off)';
    else if (!Number.isNaN(x)) oddsAlert = x / 100;
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const settings: EditableSettings = {
    ...base,
    alerts: {
      ...base.alerts,
      levels: unique,
      hysteresis: hysteresis / 100,
      cooldownMs: Math.round(cooldown * 60_000),
      positionDistance: distance / 100,
      priceMaxAgeMs: Math.round(priceMaxAge * 1000),
      snapshotMaxAgeMs: Math.round(snapshotMaxAge * 60_000),
    },
    display: d.display,
    notifications: d.notifications,
    hyperliquidAddresses: [...new Set(addresses.map((a) => a.toLowerCase()))],
    sound: d.sound,
    enabledExchanges: EXCHANGES.filter((e) => d.enabledExchanges.includes(e)),
    stopAlerts: d.stopAlerts,
    liquidationOddsAlert: oddsAlert,
  };
  // Stored only when it differs from the defaults (settings without it keep the defaults).
  const margin = { levels: marginUnique, liquidation: marginLiquidation as number };
  const def = marginAlertsOf({});
  if (base.marginAlerts || margin.liquidation !== def.liquidation || margin.levels.join() !== [...def.levels].sort((a, b) => b - a).join()) settings.marginAlerts = margin;
  // Final word: the stored schema itself (the background validates with it too).
  const v = validateSettings(settings);
  if (!v.ok) return { ok: false, errors: { levels: `settings rejected: ${v.error}` } };
  return { ok: true, settings };
}
