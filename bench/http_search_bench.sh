#!/usr/bin/env bash
# HTTP search throughput with every search audited durably.
#
# Starts `contactpoint demo` on a fresh temporary data directory with N synthetic children,
# signs in as the demo practitioner (pat.teacher: password + TOTP from demo-accounts.json),
# writes a mixed set of realistic perturbed search bodies (bench/make_search_queries, from the
# same synthetic population the demo seeds), and runs wrk against
# POST /api/v1/children/search on loopback. Prints requests/s, latency percentiles, the share
# of 200 (results) and 422 (too many matches), and the audit entries written during the run.
# Builds nothing: pass the binaries.
#
# Usage: bench/http_search_bench.sh [contactpoint binary = build-rel/bin/contactpoint]
#                                   [children = 1000000]
# Environment: DURATION (30s), CONNECTIONS (32), THREADS (2, wrk threads), QUERIES (10000),
#   WARMUP (5s), SERVER_THREADS (server pool; default: the server's own default),
#   QUERY_TOOL (default: make_search_queries next to the binary), KEEP=1 keeps the data dir,
#   CP_COUNT_STATUSES=1 counts every status in wrk's Lua (costs wrk CPU; see http_search.lua),
#   PERF=1 samples the server with `perf record` for 10 s during the run and prints where the
#   CPU time goes.
# Needs: wrk (Debian package `wrk`; installed with apt-get below if missing and running as
# root), python3 (standard library only), sqlite3 is not needed.
#
# Example (Release build with benchmarks):
#   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DCP_BUILD_TESTS=OFF
#   ninja -C build-rel contactpoint make_search_queries
#   bench/http_search_bench.sh build-rel/bin/contactpoint 100000      # quick
#   bench/http_search_bench.sh build-rel/bin/contactpoint              # 1,000,000 children
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="${1:-build-rel/bin/contactpoint}"
children="${2:-1000000}"
duration="${DURATION:-30s}"
connections="${CONNECTIONS:-32}"
wrk_threads="${THREADS:-2}"
queries="${QUERIES:-10000}"
warmup="${WARMUP:-5s}"
query_tool="${QUERY_TOOL:-$(dirname "$binary")/make_search_queries}"

[[ -x "$binary" ]] || { echo "no contactpoint binary at $binary" >&2; exit 2; }
[[ -x "$query_tool" ]] || { echo "no make_search_queries at $query_tool (ninja make_search_queries)" >&2; exit 2; }
if ! command -v wrk >/dev/null; then
  # wrk is a Debian package; benchmarks are manual, so it is not in scripts/install-deps.
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y wrk >/dev/null
  else
    echo "wrk is missing: sudo apt-get install -y wrk" >&2
    exit 2
  fi
fi

data="$(mktemp -d /tmp/cp-http-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$data"; else echo "kept $data"; fi
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
server_args=(demo --data "$data" --port "$port" --children "$children")
[[ -n "${SERVER_THREADS:-}" ]] && server_args+=(--threads "$SERVER_THREADS")

echo "== http_search_bench: $children children, $connections connections, $wrk_threads wrk threads, $duration"
echo "   $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
today="$(date -u +%F)"  # The demo's synthetic dates of birth are relative to the seeding day.
start=$(date +%s)
"$binary" "${server_args[@]}" >"$data/server.log" 2>&1 &
server_pid=$!
until grep -q "is serving" "$data/server.log" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "server exited:" >&2; cat "$data/server.log" >&2; exit 1
  fi
  if (( $(date +%s) - start > 900 )); then echo "server did not start in 15 min" >&2; exit 1; fi
  sleep 1
done
echo "   server up in $(( $(date +%s) - start )) s (seed + load + index build): $(tail -1 "$data/server.log")"
if [[ "$(date -u +%F)" != "$today" ]]; then
  echo "   warning: the UTC day changed while seeding; some dates of birth in the queries are off" >&2
fi

population=$(( children < 200000 ? children : 200000 ))
"$query_tool" --today "$today" --population "$population" --queries "$queries" \
  --answers "$data/answers.tsv" >"$data/queries.jsonl"

# Sign in: password + TOTP (RFC 6238, HMAC-SHA-1, 6 digits, 30 s) as the demo practitioner.
read -r cookie csrf < <(python3 - "$data/demo-accounts.json" "$port" <<'PY'
import base64, hashlib, hmac, http.client, json, struct, sys, time
accounts = json.load(open(sys.argv[1]))
user = next(a for a in accounts if a["username"] == "pat.teacher")
key = base64.b32decode(user["totp_secret"] + "=" * (-len(user["totp_secret"]) % 8))
digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = digest[-1] & 0x0F
code = "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]), timeout=60)
conn.request("POST", "/api/v1/session",
             json.dumps({"username": user["username"], "password": user["password"], "totp": code}),
             {"Content-Type": "application/json"})
r = conn.getresponse()
body = r.read()
if r.status != 200:
    sys.exit("sign-in failed: %d %s" % (r.status, body[:200]))
cookie = r.getheader("Set-Cookie").split(";")[0]
print(cookie, json.loads(body)["csrf_token"])
PY
)
export CP_COUNT_STATUSES="${CP_COUNT_STATUSES:-0}"
export CP_BODIES="$data/queries.jsonl" CP_COOKIE="$cookie" CP_CSRF="$csrf"

# A short recall check over HTTP on the first 200 queries (one client): is the child the query
# was made from among the results?
python3 - "$port" "$data/queries.jsonl" "$data/answers.tsv" <<'PY'
import http.client, json, os, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=60)
headers = {"Content-Type": "application/json", "Cookie": os.environ["CP_COOKIE"],
           "X-CSRF-Token": os.environ["CP_CSRF"]}
bodies = open(sys.argv[2]).read().splitlines()[:200]
answers = [l.split("\t")[0] for l in open(sys.argv[3]).read().splitlines()[:200]]
found = answered = refused = other = 0
for body, uin in zip(bodies, answers):
    conn.request("POST", "/api/v1/children/search", body.encode(), headers)
    r = conn.getresponse(); data = r.read()
    if r.status == 200:
        answered += 1
        found += any(x["uin"] == uin for x in json.loads(data)["results"])
    elif r.status == 422:
        refused += 1
    else:
        other += 1
print("   HTTP check, first %d queries: %d answered (answer found in %d = %.3f), %d refused, %d other"
      % (len(bodies), answered, found, found / max(answered, 1), refused, other))
if other:
    sys.exit("unexpected statuses in the HTTP check")
PY

# The audit trail's last sequence number; with an argument, the child.search entries after it
# by outcome.
audit_query() {
  python3 - "$data/audit.db" "${1:-}" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=30)
if not sys.argv[2]:
    print(db.execute("SELECT coalesce(max(seq), 0) FROM audit_entry").fetchone()[0])
else:
    rows = db.execute("SELECT outcome, count(*) FROM audit_entry WHERE seq > ? AND "
                      "action = 'child.search' GROUP BY outcome", (int(sys.argv[2]),)).fetchall()
    last = db.execute("SELECT coalesce(max(seq), 0) FROM audit_entry").fetchone()[0]
    print("%d %s" % (last - int(sys.argv[2]), ",".join("%s=%d" % r for r in rows)))
PY
}

url="http://127.0.0.1:$port/api/v1/children/search"
wrk -t"$wrk_threads" -c"$connections" -d"$warmup" -s "$here/http_search.lua" "$url" >/dev/null
before="$(audit_query)"
perf_pid=""
if [[ "${PERF:-0}" == 1 ]]; then
  # Samples the server's threads for 10 s in the middle of the run (perf must be installed).
  (sleep 5; perf record -q -F 499 -g -p "$server_pid" -o "$data/perf.data" -- sleep 10) \
    >/dev/null 2>&1 &
  perf_pid=$!
fi
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
cpu_before="$(cpu_ticks)"
# wrk shares the two cores with the server, so its own CPU time is printed too.
{
  TIMEFORMAT='%U %S'
  time wrk -t"$wrk_threads" -c"$connections" -d"$duration" --timeout 10s --latency \
    -s "$here/http_search.lua" "$url" | tee "$data/wrk.txt"
} 2>"$data/wrk-cpu.txt"
cpu_after="$(cpu_ticks)"
if [[ -n "$perf_pid" ]]; then
  wait "$perf_pid" || true
  perf report -i "$data/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -12 | cut -c1-100 > "$data/perf-dso.txt" || true
  perf report -i "$data/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -30 | cut -c1-110 > "$data/perf-symbols.txt" || true
  echo "   perf: CPU samples of the server by library, then by function:"
  sed 's/^/     /' "$data/perf-dso.txt" "$data/perf-symbols.txt"
fi
sleep 1  # Let requests in flight when wrk stopped finish their audit commits.
after="$(audit_query "$before")"
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
verify="$("$binary" audit verify --data "$data" 2>&1 || true)"

python3 - "$data/wrk.txt" "$before" "$after" "$verify" "$(( cpu_after - cpu_before ))" "$(getconf CLK_TCK)" \
  "$(tail -1 "$data/wrk-cpu.txt")" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
entries, outcomes = (sys.argv[3].split(" ") + [""])[:2]
entries, verify = int(entries), sys.argv[4]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
counts = dict((int(k), int(v)) for k, v in re.findall(r"(\d+)=(\d+)", re.search(r"CP_STATUS_COUNTS(.*)", text).group(1)))
if not counts:
    # No per-response callback (CP_COUNT_STATUSES unset): wrk counts statuses >= 400 itself;
    # the only such status a signed-in search gives is 422 (too many matches), which the
    # audit trail's "refused" count below confirms.
    summary = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", re.search(r"CP_SUMMARY(.*)", text).group(1)))
    counts = {200: summary["requests"] - summary["errors_status"], 422: summary["errors_status"]}
lat = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", re.search(r"CP_LATENCY_US(.*)", text).group(1)))
total = sum(counts.values())
print("== result: %.0f searches/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms"
      % (rps, lat["p50"] / 1e3, lat["p90"] / 1e3, lat["p99"] / 1e3, lat["max"] / 1e3))
cpu_s = int(sys.argv[5]) / float(sys.argv[6])
print("   server CPU time: %.1f s over the run = %.3f ms per response (user + system, all threads)"
      % (cpu_s, 1e3 * cpu_s / max(sum(counts.values()), 1)))
wrk_cpu = sum(float(x) for x in sys.argv[7].split())
print("   wrk CPU time: %.1f s = %.3f ms per response (the load generator on the same cores)"
      % (wrk_cpu, 1e3 * wrk_cpu / max(sum(counts.values()), 1)))
print("   responses %d: %s" % (total, ", ".join("%d: %d (%.1f%%)" % (s, c, 100.0 * c / total)
                                             for s, c in sorted(counts.items()))))
print("   audit entries written during the run: %d, child.search by outcome: %s (responses "
      "counted by wrk: %d; requests in flight when wrk stopped are audited but not counted)"
      % (entries, outcomes, total))
print("   %s" % verify.strip())
target = rps >= 5000 and lat["p99"] <= 20000
print("   target (>= 5,000/s and p99 <= 20 ms): %s" % ("met" if target else "NOT met"))
PY
