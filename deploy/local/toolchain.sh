#!/usr/bin/env bash
# Makes sure a Node >= 22 and the pinned pnpm are available, installing them from the
# npm registry into .toolchain/ (git-ignored) when the machine's own Node is older.
# Prints nothing when everything is already in place, so running it twice is silent.
set -euo pipefail

NODE_VERSION="24.21.0"   # Node 24 LTS
PNPM_VERSION="10.34.9"
MIN_NODE_MAJOR=22

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/.toolchain"
bin="$dir/bin"
mkdir -p "$bin"

say() { printf '[toolchain] %s\n' "$*" >&2; }

# Fetches an npm package tarball with a progress bar and checks its sha512 integrity.
fetch_package() {
  local spec="$1" out="$2" url integrity
  url="$(npm view "$spec" dist.tarball 2>/dev/null)"
  integrity="$(npm view "$spec" dist.integrity 2>/dev/null)"
  [ -n "$url" ] || { say "cannot resolve $spec on the npm registry"; exit 1; }
  if ! curl -fL --progress-bar -o "$out" "$url"; then
    say "curl failed; falling back to npm pack"
    (cd "$(dirname "$out")" && npm pack "$spec" --silent >/dev/null && mv ./*.tgz "$out")
  fi
  local actual="sha512-$(openssl dgst -sha512 -binary "$out" | base64 -w0)"
  [ "$actual" = "$integrity" ] || { say "integrity mismatch for $spec"; rm -f "$out"; exit 1; }
}

# Downloads and unpacks an npm package into a folder of .toolchain.
install_package() {
  local spec="$1" target="$2" tmp
  tmp="$(mktemp -d)"
  fetch_package "$spec" "$tmp/package.tgz"
  rm -rf "$target" && mkdir -p "$target"
  tar -xzf "$tmp/package.tgz" -C "$target" --strip-components=1
  rm -rf "$tmp"
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

system_node="$(PATH="${PATH//$bin:/}" command -v node || true)"
if [ -x "$dir/node/bin/node" ] && [ "$("$dir/node/bin/node" -v)" = "v$NODE_VERSION" ]; then
  :
elif [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge "$MIN_NODE_MAJOR" ]; then
  :
else
  os="$(uname -s | tr '[:upper:]' '[:lower:]')"
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) say "unsupported CPU $(uname -m)"; exit 1 ;; esac
  say "installing Node $NODE_VERSION (node-$os-$arch, about 30 MB) from the npm registry"
  install_package "node-$os-$arch@$NODE_VERSION" "$dir/node"
  say "Node $("$dir/node/bin/node" -v) ready"
fi
if [ -x "$dir/node/bin/node" ]; then
  ln -sf "../node/bin/node" "$bin/node"
  # npm and npx from the same Node, so scripts never mix versions
  for tool in npm npx; do
    [ -e "$dir/node/lib/node_modules/npm/bin/$tool-cli.js" ] && ln -sf "../node/lib/node_modules/npm/bin/$tool-cli.js" "$bin/$tool"
  done
fi

if [ ! -f "$dir/pnpm/package.json" ] || [ "$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$dir/pnpm/package.json" | head -1)" != "$PNPM_VERSION" ]; then
  say "installing pnpm $PNPM_VERSION from the npm registry"
  install_package "pnpm@$PNPM_VERSION" "$dir/pnpm"
fi
cat > "$bin/pnpm" <<SH
#!/usr/bin/env bash
exec node "$dir/pnpm/bin/pnpm.cjs" "\$@"
SH
chmod +x "$bin/pnpm"
