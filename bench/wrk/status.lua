-- wrk script: get-target-auth-status over Streamable HTTP, a new JSON-RPC id per request.
-- SESSION_ID names the sign-in session to query. MCP_ERA=modern sends revision
-- 2026-07-28's per-request envelope and headers; MCP_SESSION_ID (and
-- MCP_PROTOCOL_VERSION) address a stateful baseline's MCP session.
-- done() prints one WRK_JSON line for bench/src/load.ts.
local counter = 0
local session_id = os.getenv("SESSION_ID")
local modern = os.getenv("MCP_ERA") == "modern"
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json, text/event-stream" }
local meta = ""
if modern then
  headers["MCP-Protocol-Version"] = "2026-07-28"
  headers["Mcp-Method"] = "tools/call"
  headers["Mcp-Name"] = "get-target-auth-status"
  meta = ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}'
end
if os.getenv("MCP_SESSION_ID") and os.getenv("MCP_SESSION_ID") ~= "" then
  headers["Mcp-Session-Id"] = os.getenv("MCP_SESSION_ID")
  headers["MCP-Protocol-Version"] = os.getenv("MCP_PROTOCOL_VERSION")
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"get-target-auth-status","arguments":{"sessionId":"%s"}%s}}',
    counter, session_id, meta)
  return wrk.format("POST", "/mcp", headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
