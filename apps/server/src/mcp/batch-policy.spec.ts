import { describe, expect, it } from '@jest/globals';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';
import { applyBatchPolicy } from './batch-policy.js';

const request = (id: unknown, method = 'tools/list') => ({ jsonrpc: '2.0', id, method });
const cancel = (requestId: unknown) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId } });
const refusal = (body: unknown, version?: string) => {
  try {
    applyBatchPolicy(body, version);
  } catch (error) {
    return error instanceof JsonRpcHttpError ? { status: error.getStatus(), code: error.rpcCode, message: error.message } : error;
  }
  return undefined;
};

describe(applyBatchPolicy.name, () => {
  it('hands a single message on unchanged', () => {
    const single = request(1);
    expect(applyBatchPolicy(single, '2025-11-25')).toBe(single);
  });

  it('refuses any batch from revision 2025-06-18 on', () => {
    for (const version of ['2025-06-18', '2025-11-25', '2026-07-28']) {
      expect(refusal([request(1)], version)).toEqual({ status: 400, code: -32600, message: `Invalid Request: protocol revision ${version} does not allow JSON-RPC batches` });
    }
    expect(applyBatchPolicy([request(1)], '2025-03-26')).toEqual([request(1)]);
    expect(applyBatchPolicy([request(1)], undefined)).toEqual([request(1)]);
  });

  it('takes 1 to 10 messages', () => {
    const ten = Array.from({ length: 10 }, (_, i) => request(i));
    expect(applyBatchPolicy(ten, undefined)).toEqual(ten);
    const message = 'Invalid Request: a batch holds 1 to 10 messages';
    expect(refusal([])).toEqual({ status: 400, code: -32600, message });
    expect(refusal([...ten, request(10)])).toEqual({ status: 400, code: -32600, message });
  });

  it('refuses an item that is not a message object', () => {
    for (const item of [null, 7, 'x', [request(1)]]) {
      expect(refusal([request(1), item])).toEqual({ status: 400, code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' });
    }
  });

  it('refuses two requests with one id; notifications and responses do not count', () => {
    expect(refusal([request(1), request(1, 'ping')])).toEqual({ status: 400, code: -32600, message: 'Invalid Request: two requests in a batch share an id' });
    const fine = [
      request(1),
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
      request('1'),
    ];
    expect(applyBatchPolicy(fine, undefined)).toEqual(fine);
  });

  it('takes out a request cancelled in the same batch, with its cancellation', () => {
    const response = { jsonrpc: '2.0', id: 1, result: {} };
    expect(applyBatchPolicy([request(1), request(2), cancel(1), response], undefined)).toEqual([request(2), response]);
    expect(applyBatchPolicy([request(1), cancel(1)], undefined)).toBeUndefined();
    // A cancellation of a request not in the batch goes on as it is.
    const other = [request(1), cancel(9)];
    expect(applyBatchPolicy(other, undefined)).toEqual(other);
    expect(applyBatchPolicy([request(1), cancel(1), cancel(9)], undefined)).toEqual([cancel(9)]);
  });

  it('cancels only by a notifications/cancelled naming a request of the batch', () => {
    // Another message's `params.requestId` is not a cancellation, and is not taken out by one.
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { requestId: 1 } };
    expect(applyBatchPolicy([request(1), call], undefined)).toEqual([request(1), call]);
    expect(applyBatchPolicy([request(1), call, cancel(1)], undefined)).toEqual([call]);
    // A cancellation without params cancels nothing and is handed on (the SDK answers for its shape).
    const bare = { jsonrpc: '2.0', method: 'notifications/cancelled' };
    expect(applyBatchPolicy([request(1), bare], undefined)).toEqual([request(1), bare]);
    expect(applyBatchPolicy([request(1), cancel(1), bare], undefined)).toEqual([bare]);
  });
});
