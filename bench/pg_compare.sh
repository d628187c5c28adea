#!/usr/bin/env bash
# Runs bench/pg_compare (the same perturbed query set through ContactPoint's SearchIndex and
# through a pg_trgm + fuzzystrmatch search on PostgreSQL) against a private, temporary
# PostgreSQL cluster on a Unix socket, then stops and removes the cluster.
#
# Usage: bench/pg_compare.sh [pg_compare binary = build-rel/bin/pg_compare] [children = 100000]
#                            [queries = 2000]
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), KEEP=1 keeps the cluster directory,
# PG_COMPARE_ARGS adds arguments (e.g. --explain).
# Needs: PostgreSQL 15 server + contrib (Debian: postgresql-15 postgresql-contrib) and, to build
# pg_compare, libpq-dev (the target exists only when CMake finds libpq). Benchmarks are manual,
# so neither is in scripts/install-deps. PostgreSQL refuses to run as root: when run as root the
# cluster belongs to the `postgres` system user.
#
# The cluster is tuned for a read benchmark on this machine (shared_buffers 1GB,
# effective_cache_size 4GB, work_mem 64MB, fsync off while loading; JIT off so that planning
# of these short queries is not dominated by JIT compilation).
set -euo pipefail

binary="${1:-build-rel/bin/pg_compare}"
children="${2:-100000}"
queries="${3:-2000}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
[[ -x "$binary" ]] || { echo "no pg_compare at $binary (needs libpq-dev; ninja pg_compare)" >&2; exit 2; }
[[ -x "$pg_bin/initdb" ]] || { echo "no PostgreSQL server in $pg_bin (apt-get install postgresql-15 postgresql-contrib)" >&2; exit 2; }

dir="$(mktemp -d /tmp/cp-pg-compare.XXXXXX)"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
started=0
cleanup() {
  if [[ $started == 1 ]]; then "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$dir"; else echo "kept $dir"; fi
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-k $dir -p $port -c listen_addresses='' -c shared_buffers=1GB -c effective_cache_size=4GB \
      -c work_mem=64MB -c maintenance_work_mem=1GB -c fsync=off -c synchronous_commit=off \
      -c full_page_writes=off -c jit=off -c max_parallel_workers_per_gather=0" start >/dev/null
started=1

echo "== pg_compare: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 3600 "$binary" --children "$children" --queries "$queries" \
  --conninfo "host=$dir port=$port user=postgres dbname=postgres" ${PG_COMPARE_ARGS:-}
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
