/**
 * What operators count: sign-ins started, credentials and codes by outcome,
 * lockouts, live sessions, tool latency per tool, and Node's own figures
 * (event-loop lag among them), in a registry of this app's own (so two apps
 * in one process, as in tests, never share counters). metrics.controller.ts
 * serves it at GET /metrics when enabled; the session module adds the
 * live-sessions gauge.
 */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly signInsStarted = new Counter({
    name: 'target_auth_sign_ins_started_total',
    help: 'Sign-in sessions created.',
    registers: [this.registry],
  });
  readonly credentials = this.byOutcome('target_auth_credentials_total', 'Credentials submitted, by outcome (accepted, or the refusal code).');
  readonly codes = this.byOutcome('target_auth_codes_total', 'One-time codes submitted, by outcome (accepted, or the refusal code).');
  readonly lockouts = new Counter({
    name: 'target_auth_lockouts_total',
    help: 'Sign-ins locked after too many wrong codes.',
    registers: [this.registry],
  });
  readonly toolDuration = new Histogram({
    name: 'target_auth_tool_duration_seconds',
    help: 'Time to answer a tool call, by tool.',
    labelNames: ['tool'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  /** A counter labelled by outcome (e.g. `accepted`, or the refusal's code). */
  byOutcome(name: string, help: string): Counter<'outcome'> {
    return new Counter({ name, help, labelNames: ['outcome'] as const, registers: [this.registry] });
  }

  /** A gauge read when scraped, e.g. the sessions a store holds. */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }
}
