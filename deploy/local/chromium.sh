#!/usr/bin/env bash
# Makes sure a Chromium the console's browser tests can drive is installed: Debian's package
# (playwright-core never downloads a browser). Does nothing when CHROMIUM_PATH names one.
set -euo pipefail
say() { printf '[chromium] %s\n' "$*" >&2; }

path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$path" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian's chromium package"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$path" ] && exit 0
fi
say "no Chromium at $path: install Debian's chromium package, or set CHROMIUM_PATH"
exit 1
