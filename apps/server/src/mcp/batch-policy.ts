/**
 * What a JSON-RPC batch may ask of one POST, checked before the SDK sees it.
 * Revisions from 2025-06-18 on dropped batching, so a batch there is refused;
 * older ones may batch up to `MAX_BATCH_MESSAGES`, and the whole answer is
 * capped (`MAX_BATCH_ANSWER_BYTES`, enforced where it is written). A request
 * cancelled by a `notifications/cancelled` in the same batch is taken out with
 * its cancellation: it would otherwise never be answered and hold the POST open.
 */
import { JsonRpcHttpError } from '../http/json-rpc-error.js';

const MAX_BATCH_MESSAGES = 10;
/** Ten widget reads fit (the widget is ~240 KB); a batch cannot pull more than this. */
export const MAX_BATCH_ANSWER_BYTES = 4 * 1024 * 1024;
/** The first revision without JSON-RPC batching. */
const FIRST_UNBATCHED_REVISION = '2025-06-18';

interface Message {
  id?: unknown;
  method?: unknown;
  params?: { requestId?: unknown };
}

const isObject = (value: unknown): value is Message => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The body to hand on: a single message unchanged, or the checked batch with
 * in-batch cancellations applied. `undefined` when nothing is left to answer.
 */
export function applyBatchPolicy(body: unknown, protocolVersion: string | undefined): unknown {
  if (!Array.isArray(body)) return body;
  if (protocolVersion !== undefined && protocolVersion >= FIRST_UNBATCHED_REVISION) {
    throw new JsonRpcHttpError(400, -32600, `Invalid Request: protocol revision ${protocolVersion} does not allow JSON-RPC batches`);
  }
  if (body.length === 0 || body.length > MAX_BATCH_MESSAGES) {
    throw new JsonRpcHttpError(400, -32600, `Invalid Request: a batch holds 1 to ${MAX_BATCH_MESSAGES} messages`);
  }
  const messages = body.map((item) => {
    if (!isObject(item)) throw new JsonRpcHttpError(400, -32600, 'Invalid Request: not a JSON-RPC 2.0 message');
    return item;
  });
  const ids = new Set<unknown>();
  for (const message of messages) {
    if (typeof message.method !== 'string' || message.id === undefined) continue;
    if (ids.has(message.id)) throw new JsonRpcHttpError(400, -32600, 'Invalid Request: two requests in a batch share an id');
    ids.add(message.id);
  }
  const cancelled = new Set(
    messages.filter((m) => m.method === 'notifications/cancelled' && ids.has(m.params?.requestId)).map((m) => m.params?.requestId),
  );
  if (cancelled.size === 0) return messages;
  const left = messages.filter(
    (m) => !(m.method === 'notifications/cancelled' && cancelled.has(m.params?.requestId)) && !(m.method !== undefined && cancelled.has(m.id)),
  );
  return left.length === 0 ? undefined : left;
}
