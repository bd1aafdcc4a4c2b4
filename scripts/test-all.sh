#!/usr/bin/env bash
# The project's one test command (README: `npm test`). Installs what a fresh machine lacks,
# then type-checks, builds for Chrome and Firefox, and runs unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "chromium"
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium openssl >/dev/null
  else
    echo "chromium is missing and this user cannot apt-get install it; set CHROMIUM_PATH" >&2
    exit 1
  fi
fi
command -v openssl >/dev/null || { echo "openssl is missing" >&2; exit 1; }

step "firefox-esr"
# The Firefox e2e (harness/firefox.ts) drives Debian's Firefox ESR (≥ 140: the add-on's strict_min_version).
# Another apt run (e.g. a concurrent chromium install) may hold the dpkg lock: wait for it.
if [ -z "${FIREFOX_PATH:-}" ] && ! command -v firefox-esr >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y -qq firefox-esr >/dev/null 2>&1; then break; fi
      [ "$attempt" = 10 ] && { echo "could not apt-get install firefox-esr" >&2; exit 1; }
      apt-get update -qq || true
      sleep 10
    done
  else
    echo "firefox-esr is missing and this user cannot apt-get install it; set FIREFOX_PATH" >&2
    exit 1
  fi
fi

step "typecheck"
npx wxt prepare >/dev/null
npx tsc --noEmit

step "build (chrome-mv3, firefox-mv3, store zips; *-e2e builds for the end-to-end tests)"
npx wxt build
npx wxt build -b firefox
node scripts/check-manifests.mjs
# Store packages (Chrome Web Store zip, AMO zip + sources zip): both zipped manifests checked and
# `web-ext lint` on the AMO zip (0 errors). Made before the unit tests so test/scripts/check-manifests.test.ts
# finds them fresh and never rebuilds .output while other tests read it.
npm run -s zip
# The e2e harness points the extension at a loopback server through the endpoint override,
# which production builds compile out (lib/exchanges/endpoints.ts): it loads this build instead.
npx wxt build --mode e2e
npx wxt build -b firefox --mode e2e

report_dir=$(mktemp -d)
trap 'rm -rf "$report_dir"' EXIT

step "unit tests"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report_dir/unit.json"

# As root, the browsers also run inside a new network namespace with only `lo` up: a hard
# guarantee that nothing leaves the machine. Elsewhere (no root, or no namespaces in this
# container) they run plainly, still reaching only loopback through the harness's host mapping.
loopback_only() {
  if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null && unshare -n true 2>/dev/null; then
    echo "(inside unshare -n: loopback only)"
    unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"
  else
    "$@"
  fi
}

step "end-to-end tests (real Chromium)"
# Chromium only resolves the exchange hosts, mapped to a loopback server (harness/).
loopback_only npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="$report_dir/e2e.json"

step "end-to-end tests (real Firefox)"
# Firefox reaches the exchange hosts only through the harness's loopback proxy (harness/firefox.ts).
ff_start=$(date +%s)
loopback_only npx vitest run -c vitest.e2e-firefox.config.ts --reporter=default --reporter=json --outputFile.json="$report_dir/e2e-firefox.json"
echo "Firefox end-to-end: $(( $(date +%s) - ff_start )) s"

# One plain closing line over all suites.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$report_dir/unit.json" "$report_dir/e2e.json" "$report_dir/e2e-firefox.json"
