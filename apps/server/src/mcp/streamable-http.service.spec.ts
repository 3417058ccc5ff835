import { describe, expect, it } from '@jest/globals';
import { isLegacyTraffic } from './streamable-http.service.js';

const claim = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };

describe(isLegacyTraffic.name, () => {
  it('takes claim-less messages with no or a 2025 version header as 2025-era traffic', () => {
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, undefined)).toBe(true);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { progressToken: 1 } } }, '2025-11-25')).toBe(true);
    expect(isLegacyTraffic([{ jsonrpc: '2.0', id: 1, method: 'ping' }], '2024-11-05')).toBe(true);
    expect(isLegacyTraffic('junk', undefined)).toBe(true);
  });

  it('leaves any envelope claim or modern (or unknown) version header to the SDK', () => {
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: claim } }, undefined)).toBe(false);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { ...claim, 'io.modelcontextprotocol/protocolVersion': 7 } } }, undefined)).toBe(false);
    expect(isLegacyTraffic([{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '2.0', id: 2, method: 'ping', params: { _meta: claim } }], undefined)).toBe(false);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, '2026-07-28')).toBe(false);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, '2030-01-01')).toBe(false);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, ' 2026-07-28 ')).toBe(false);
  });
});
