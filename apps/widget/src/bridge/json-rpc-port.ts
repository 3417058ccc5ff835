/**
 * Plain JSON-RPC 2.0 over postMessage with one peer window (the host). Only
 * messages whose `source` is that window and whose shape is JSON-RPC are read.
 */
type Id = number | string;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export type NotificationHandler = (method: string, params: unknown) => void;
export type RequestHandler = (method: string, params: unknown) => unknown;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export class JsonRpcPort {
  private nextId = 1;
  private readonly pending = new Map<Id, Pending>();
  private readonly listener = (event: MessageEvent): void => this.receive(event);

  constructor(
    private readonly peer: Window,
    private readonly onNotification: NotificationHandler,
    private readonly onRequest: RequestHandler,
  ) {}

  open(): void {
    window.addEventListener('message', this.listener);
  }

  close(): void {
    window.removeEventListener('message', this.listener);
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('Connection closed'));
    }
    this.pending.clear();
  }

  request<T>(method: string, params: unknown, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve, reject, timer });
      this.post({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown = {}): void {
    this.post({ jsonrpc: '2.0', method, params });
  }

  private post(message: object): void {
    this.peer.postMessage(message, '*');
  }

  private receive(event: MessageEvent): void {
    if (event.source !== this.peer) return;
    const message: unknown = event.data;
    if (!isObject(message) || message['jsonrpc'] !== '2.0') return;
    const id = message['id'];
    const method = message['method'];
    if (typeof method === 'string') {
      if (typeof id === 'number' || typeof id === 'string') this.answer(id, method, message['params']);
      else this.onNotification(method, message['params']);
      return;
    }
    if (typeof id !== 'number' && typeof id !== 'string') return;
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    const error = message['error'];
    if (isObject(error)) pending.reject(new Error(typeof error['message'] === 'string' ? error['message'] : 'Host error'));
    else pending.resolve(message['result']);
  }

  private answer(id: Id, method: string, params: unknown): void {
    try {
      this.post({ jsonrpc: '2.0', id, result: this.onRequest(method, params) ?? {} });
    } catch (error) {
      this.post({ jsonrpc: '2.0', id, error: { code: -32601, message: error instanceof Error ? error.message : 'Error' } });
    }
  }
}
