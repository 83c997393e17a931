-- wrk script for bench/run.py: rotates over the paths given after `--`, and prints the
-- figures wrk does not print by default (95th percentile, non-2xx count) as one JSON line.
local paths = {}
local i = 0

init = function(args)
  for _, path in ipairs(args) do paths[#paths + 1] = path end
end

request = function()
  if #paths == 0 then return wrk.format() end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

done = function(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
