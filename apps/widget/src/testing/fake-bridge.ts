/** A HostBridge the test drives by hand: push host events, answer tool calls. */
import { jest } from '@jest/globals';
import type { SignedInResult, ToolName } from '@target-auth/shared/tools';
import type { HostBridge, HostEvents } from '../bridge/host-bridge';
import type { ToolResultLike } from '../state/tool-outcome';

export class FakeBridge implements HostBridge {
  readonly kind = 'mcp-apps';
  events!: HostEvents;
  readonly calls: { name: ToolName; args: Record<string, unknown> }[] = [];
  readonly signedInWith: SignedInResult[] = [];
  /** Answers tool calls; replace per test. */
  answer = jest.fn<(name: ToolName, args: Record<string, unknown>) => Promise<ToolResultLike>>();

  start(events: HostEvents): void {
    this.events = events;
  }

  callTool(name: ToolName, args: Record<string, unknown>): Promise<ToolResultLike> {
    this.calls.push({ name, args });
    return this.answer(name, args);
  }

  /** Whether the "host" opens links; the URLs asked for are in `opened`. */
  opensLinks = true;
  readonly opened: string[] = [];

  async openLink(url: string): Promise<boolean> {
    this.opened.push(url);
    return this.opensLinks;
  }

  signedIn(identity: SignedInResult): void {
    this.signedInWith.push(identity);
  }

  stop(): void {}
}
