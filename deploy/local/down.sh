#!/usr/bin/env bash
# Stops the local Kafka broker started by up.sh (PostgreSQL is the machine's and keeps running).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/deploy/local/kafka.sh" stop
