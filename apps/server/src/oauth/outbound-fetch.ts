/**
 * Every request the authorization server makes on a client's behalf (its
 * metadata document, its `jwks_uri`): oidc-provider's `fetch`, guarded.
 * https only, no credentials in the URL, no redirects. The host is resolved
 * first and every address it resolves to must be public unicast: loopback,
 * private, link-local, unique-local, CGNAT, multicast, unspecified, reserved
 * and the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo)
 * are refused before any connection, with one answer whatever is listening
 * there. The connection then goes to the address that was checked (no second
 * lookup a DNS rebinding could change), and the body is read within a bound.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch } from 'undici';

/** A request the guard refused; oidc-provider turns it into a refusal of the client. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

export interface OutboundPolicy {
  /** Resolves a host name to its addresses (tests replace it). */
  resolve?: (hostname: string) => Promise<string[]>;
  /** Which addresses may be connected to: public unicast ones (tests widen it for a server of their own). */
  allows?: (address: string) => boolean;
  /** Extra trusted certificate authority (tests: their own server's). */
  ca?: string;
  /** Largest body read, in bytes. */
  maxBytes?: number;
  /** Milliseconds for the whole request when the caller sets no signal. */
  timeoutMs?: number;
}

const REFUSED = 'the client metadata URL is not allowed';

/** Whether an address may be connected to on a client's behalf: public unicast only. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

const defaultResolve = async (hostname: string): Promise<string[]> =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** The checked address of a URL's host, or a refusal. */
async function checkedAddress(url: URL, resolve: (hostname: string) => Promise<string[]>, allows: (address: string) => boolean): Promise<{ address: string; family: 4 | 6 }> {
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') throw new OutboundRefusedError(REFUSED);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => []);
  // Every address must pass: a name that resolves to one public and one private address is refused.
  if (addresses.length === 0 || !addresses.every(allows)) throw new OutboundRefusedError(REFUSED);
  const address = addresses[0]!;
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/** What oidc-provider passes (its own `dispatcher` and `redirect` are replaced). */
type FetchOptions = { method?: string; headers?: Headers | Record<string, string>; body?: string | null; signal?: AbortSignal | null } & Record<string, unknown>;

/** oidc-provider's `fetch` setting: refuses what the policy forbids, else fetches from the checked address. */
export function guardedFetch(policy: OutboundPolicy = {}): (url: URL | string, options?: FetchOptions) => Promise<Response> {
  const resolve = policy.resolve ?? defaultResolve;
  const allows = policy.allows ?? isPublicAddress;
  const maxBytes = policy.maxBytes ?? 64 * 1024;
  const timeoutMs = policy.timeoutMs ?? 2500;
  return async (input, options = {}) => {
    const url = new URL(input);
    const { address, family } = await checkedAddress(url, resolve, allows);
    const agent = new Agent({
      connect: {
        // The connection goes to the address checked above, whatever a second lookup would say.
        lookup: (_hostname: string, lookupOptions: { all?: boolean }, callback: (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void) =>
          lookupOptions.all ? callback(null, [{ address, family }]) : callback(null, address, family),
        ...(policy.ca !== undefined && { ca: policy.ca }),
      },
      connections: 1,
    });
    try {
      const response = await undiciFetch(url, {
        method: options.method ?? 'GET',
        headers: options.headers instanceof Headers ? Object.fromEntries(options.headers) : options.headers,
        ...(typeof options.body === 'string' ? { body: options.body } : {}),
        signal: options.signal ?? AbortSignal.timeout(timeoutMs),
        redirect: 'error',
        dispatcher: agent,
      });
      const body = await readBounded(response.body, maxBytes);
      return new Response(body, { status: response.status, statusText: response.statusText, headers: Object.fromEntries(response.headers) });
    } finally {
      void agent.close().catch(() => undefined);
    }
  };
}

async function readBounded(body: AsyncIterable<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new OutboundRefusedError('the client metadata response is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
