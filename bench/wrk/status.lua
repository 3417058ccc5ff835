-- wrk script: get-target-auth-status over Streamable HTTP, a new JSON-RPC id per request.
-- SESSION_ID comes from the environment; done() prints one WRK_JSON line for bench/src/load.ts.
local counter = 0
local session_id = os.getenv("SESSION_ID")
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json, text/event-stream" }

request = function()
  counter = counter + 1
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"get-target-auth-status","arguments":{"sessionId":"%s"}}}',
    counter, session_id)
  return wrk.format("POST", "/mcp", headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
