/**
 * Legacy SSE across instances. A stream lives in the instance that opened it;
 * with REDIS_URL that instance records itself as the stream's owner
 * (`sse:<id>` → instance id, expiring with the idle timeout and renewed by
 * traffic), and a `POST /messages` reaching another instance is published to
 * the owner's channel, which hands it to the stream; the answer goes out on
 * the stream as usual. Without Redis, only local streams exist.
 */
import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AuthInfo, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { RedisConnection } from '../redis/redis.module.js';
import { unavailableOnError } from '../common/store-unavailable.js';

/** Who sent a forwarded message, as the instance that received it verified the token: never the token itself. */
export type ForwardedAuth = Omit<AuthInfo, 'token' | 'resource'> & { resource?: string };

/** A message forwarded to the stream's owner. */
export interface ForwardedMessage {
  streamId: string;
  message: JSONRPCMessage;
  auth?: ForwardedAuth;
}

/** What crosses Redis for a verified request: its identity (client, scopes, linked account), not the bearer token. */
export function forwardedAuth({ token: _token, resource, ...verified }: AuthInfo): ForwardedAuth {
  return { ...verified, ...(resource && { resource: resource.href }) };
}

/** The AuthInfo a forwarded message is handled with: the verified identity; `token` is empty, as it stayed where it was checked. */
export function receivedAuth({ resource, ...verified }: ForwardedAuth): AuthInfo {
  return { ...verified, token: '', ...(resource !== undefined && { resource: new URL(resource) }) };
}

const CHANNEL_PREFIX = 'target-auth:sse:';

@Injectable()
export class SseRouter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MCP');
  readonly instanceId = randomBytes(9).toString('base64url');
  private subscriber: Redis | undefined;
  /** Delivers a forwarded message to a local stream; set by SseStreamsService. */
  deliver: (forwarded: ForwardedMessage) => void = () => undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.redis.client !== null;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis.client) return;
    this.subscriber = this.redis.client.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, payload: string) => {
      try {
        this.deliver(JSON.parse(payload) as ForwardedMessage);
      } catch {
        this.logger.warn('Dropped a malformed forwarded SSE message');
      }
    });
    // Subscribing waits for the connection (the offline queue is on for this one).
    void this.subscriber.subscribe(CHANNEL_PREFIX + this.instanceId).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
  }

  /** Records this instance as the stream's owner (renewed on traffic; expires with the idle timeout). */
  async claim(streamId: string): Promise<void> {
    if (!this.redis.client) return;
    await unavailableOnError(this.redis.client.set(ownerKey(streamId), this.instanceId, 'PX', this.ownershipMs()));
  }

  async renew(streamId: string): Promise<void> {
    if (!this.redis.client) return;
    await this.redis.client.pexpire(ownerKey(streamId), this.ownershipMs()).catch(() => undefined);
  }

  async release(streamId: string): Promise<void> {
    if (!this.redis.client) return;
    await this.redis.client.del(ownerKey(streamId)).catch(() => undefined);
  }

  /** Sends a message to the instance that owns the stream: false when no live instance owns it. */
  async forward(forwarded: ForwardedMessage): Promise<boolean> {
    const client = this.redis.client;
    if (!client) return false;
    const owner = await unavailableOnError(client.get(ownerKey(forwarded.streamId)));
    if (!owner || owner === this.instanceId) return false;
    const receivers = await unavailableOnError(client.publish(CHANNEL_PREFIX + owner, JSON.stringify(forwarded)));
    return receivers > 0;
  }

  private ownershipMs(): number {
    return this.config.sse.idleTimeoutMs + 60_000;
  }
}

const ownerKey = (streamId: string): string => `sse:${streamId}`;
