#!/usr/bin/env bash
# The whole test suite, as CI runs it (`npm test`), on a fresh Debian machine or a dev one:
# system packages, dependencies, type check, build, unit and integration tests on SQLite
# then PostgreSQL, browser journeys and accessibility checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SYSTEM_PACKAGES=(chromium postgresql fonts-dejavu-core fonts-droid-fallback fonts-symbola)
started_at=$SECONDS
current_step=""

step() {
  current_step="$1"
  printf '\n\033[1m==> %s\033[0m (%ss elapsed)\n' "$1" "$((SECONDS - started_at))"
}
trap 'status=$?; if [ "$status" -ne 0 ]; then printf "\n\033[1;31mFAILED at step: %s (exit %s, %ss)\033[0m\n" "$current_step" "$status" "$((SECONDS - started_at))"; fi' EXIT

step "System packages"
missing=0
[ -x /usr/bin/chromium ] || missing=1
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || missing=1
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing=1
[ -f /usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf ] || missing=1
[ -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] || missing=1
if [ "$missing" -eq 1 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${SYSTEM_PACKAGES[@]}"
  else
    echo "The tests need Debian packages that are not installed. As root, run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${SYSTEM_PACKAGES[*]}" >&2
    echo "(or run 'npm test' as root: it installs them itself)" >&2
    exit 1
  fi
else
  echo "chromium, postgresql, fonts-dejavu-core and fonts-droid-fallback are installed."
fi

step "Node dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
else
  echo "node_modules is up to date with package-lock.json."
fi

step "Prisma client"
npm run db:generate

step "Type check"
npx tsc --noEmit

step "Build"
npm run build

step "Unit and integration tests (SQLite)"
TEST_DATABASE=sqlite npx vitest run

step "Unit and integration tests (PostgreSQL)"
TEST_DATABASE=postgresql npx vitest run

step "Browser journeys and accessibility (SQLite)"
TEST_DATABASE=sqlite npx vitest run --config vitest.e2e.config.ts

step "Browser journey (PostgreSQL)"
TEST_DATABASE=postgresql npx vitest run --config vitest.e2e.config.ts tests/e2e/account-journey.test.ts

current_step=""
printf '\n\033[1;32mAll tests passed in %ss.\033[0m\n' "$((SECONDS - started_at))"
