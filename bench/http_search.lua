-- wrk script for bench/http_search_bench.sh: POST /api/v1/children/search with a mixed set of
-- JSON bodies (one per line of $CP_BODIES), signed in with $CP_COOKIE and $CP_CSRF.
-- Each wrk thread starts at a different offset in the body list and cycles through it.
-- At the end, prints how many responses had each HTTP status when CP_COUNT_STATUSES=1; otherwise
-- it defines no response() callback, because wrk then hands every response's headers and body
-- to Lua, which costs the load generator CPU that it shares with the server on a 2-core
-- machine. Without it, the status split comes from wrk's own count of statuses >= 400
-- (summary.errors.status), which the bench script checks against the audit trail's outcomes.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("CP_BODIES")
  local headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = os.getenv("CP_COOKIE"),
    ["X-CSRF-Token"] = os.getenv("CP_CSRF"),
  }
  requests = {}
  for line in io.lines(path) do
    if #line > 0 then
      requests[#requests + 1] = wrk.format("POST", "/api/v1/children/search", headers, line)
    end
  end
  if #requests == 0 then
    error("no request bodies in " .. tostring(path))
  end
  next_index = (id * 7919) % #requests + 1
  statuses = {}
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

if os.getenv("CP_COUNT_STATUSES") == "1" then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, count in pairs(s) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local keys = {}
  for status, _ in pairs(totals) do table.insert(keys, status) end
  table.sort(keys)
  io.write("CP_STATUS_COUNTS")
  for _, status in ipairs(keys) do
    io.write(string.format(" %d=%d", status, totals[status]))
  end
  io.write("\n")
  io.write(string.format("CP_LATENCY_US p50=%d p90=%d p99=%d p999=%d max=%d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
  io.write(string.format("CP_SUMMARY requests=%d duration_us=%d errors_connect=%d "
    .. "errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
