#!/usr/bin/env bash
# Makes sure the local PostgreSQL server answers on 127.0.0.1:5432, starting the machine's
# cluster when it is stopped. Does nothing when DATABASE_URL points elsewhere.
set -euo pipefail
say() { printf '[postgres] %s\n' "$*" >&2; }

url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/canvas}"
case "$url" in
  *@127.0.0.1:5432/*|*@localhost:5432/*|*@127.0.0.1/*|*@localhost/*) ;;
  *) exit 0 ;;
esac

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if ready; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  say "starting the local cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 100); do ready && exit 0; sleep 0.2; done
fi
say "PostgreSQL is not reachable on 127.0.0.1:5432; start it or set DATABASE_URL"
exit 1
