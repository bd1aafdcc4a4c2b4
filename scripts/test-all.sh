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

step "typecheck"
npx wxt prepare >/dev/null
npx tsc --noEmit

step "build (chrome-mv3, firefox; chrome-mv3-e2e for the end-to-end tests)"
npx wxt build
npx wxt build -b firefox
node scripts/check-manifests.mjs
# The e2e harness points the extension at a loopback server through the endpoint override,
# which production builds compile out (lib/exchanges/endpoints.ts): it loads this build instead.
npx wxt build --mode e2e

report_dir=$(mktemp -d)
trap 'rm -rf "$report_dir"' EXIT

step "unit tests"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report_dir/unit.json"

step "end-to-end tests (real Chromium)"
# Chromium only resolves the exchange hosts, mapped to a loopback server (harness/).
# As root, also run inside a new network namespace with only `lo` up: a hard guarantee that
# nothing leaves the machine. Elsewhere (no root, or no namespaces in this container) run plainly.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null && unshare -n true 2>/dev/null; then
  echo "(inside unshare -n: loopback only)"
  unshare -n sh -c "ip link set lo up && exec npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=$report_dir/e2e.json"
else
  npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="$report_dir/e2e.json"
fi

# One plain closing line over both suites.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$report_dir/unit.json" "$report_dir/e2e.json"
