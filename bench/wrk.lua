-- wrk script for bench/run.py: rotates over the paths given after `--`, and prints the
-- figures wrk does not print by default (95th percentile, non-2xx count) as one JSON line.
-- With `--miss=<token>` among the arguments every request gets a query parameter of its
-- own (`bench=<token>-<thread>-<n>`, `&` when the path has a query already), so the page
-- cache, keyed by the full path, never hits. `--accept-encoding=<value>` sends that
-- Accept-Encoding header with every request, as a browser does (bench/run.py sends
-- Chromium's); without it, none. `--close` asks for a connection per request
-- (`Connection: close`), as nginx talks to gunicorn in deploy/nginx.conf.
local paths = {}
local i = 0
local miss = nil
local counter = 0
local threads_made = 0

setup = function(thread)
  threads_made = threads_made + 1
  thread:set("thread_number", threads_made)
end

init = function(args)
  for _, arg in ipairs(args) do
    local token = arg:match("^%-%-miss=(.+)$")
    local encoding = arg:match("^%-%-accept%-encoding=(.*)$")
    if token then
      miss = token
    elseif arg == "--close" then
      wrk.headers["Connection"] = "close"
    elseif encoding then
      if encoding ~= "" then wrk.headers["Accept-Encoding"] = encoding end
    else
      paths[#paths + 1] = arg
    end
  end
end

request = function()
  if #paths == 0 then return wrk.format() end
  i = i % #paths + 1
  local path = paths[i]
  if miss then
    counter = counter + 1
    local separator = path:find("?", 1, true) and "&" or "?"
    path = path .. separator .. "bench=" .. miss .. "-" .. (thread_number or 0) .. "-" .. counter
  end
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  -- The latency at every whole percentile from 50 (and 99.5, 99.9, 100), so that runs can be
  -- combined into one distribution (bench/run.py: the mixed run's slices).
  local cdf = {}
  for p = 50, 99 do cdf[#cdf + 1] = string.format("[%d,%d]", p, latency:percentile(p)) end
  for _, p in ipairs({99.5, 99.9}) do
    cdf[#cdf + 1] = string.format("[%.1f,%d]", p, latency:percentile(p))
  end
  cdf[#cdf + 1] = string.format("[100,%d]", latency.max)
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"cdf":[%s]}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, table.concat(cdf, ",")))
end
