#!/usr/bin/env bash
# Starts the local infrastructure for development: Kafka, PostgreSQL, migrations.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/deploy/local/postgres.sh"
if [ -z "${KAFKA_BROKERS:-}" ]; then bash "$root/deploy/local/kafka.sh" start; fi
(cd "$root" && pnpm run -s build >/dev/null && node packages/db/dist/migrate-cli.js)
