import { describe, expect, it } from '@jest/globals';
import type { DiscoveryService, Reflector } from '@nestjs/core';
import { ToolRegistry } from './tool-registry.js';

class Tool {
  constructor(readonly name: string) {}
}
class Other {}

/** A registry over providers as Nest's discovery lists them; only classes marked as tools carry the metadata. */
function registry(providers: { metatype?: unknown; instance?: unknown }[]): ToolRegistry {
  const discovery = { getProviders: () => providers } as unknown as DiscoveryService;
  const reflector = { get: (_key: unknown, metatype: unknown) => metatype === Tool } as unknown as Reflector;
  return new ToolRegistry(discovery, reflector);
}

describe(ToolRegistry.name, () => {
  it('collects the instances of @McpTool() providers, skipping others and providers without an instance', () => {
    const a = new Tool('a');
    const b = new Tool('b');
    const sut = registry([{ metatype: Tool, instance: a }, { metatype: Other, instance: new Other() }, { metatype: Tool }, { instance: a }, { metatype: Tool, instance: b }]);
    sut.onModuleInit();
    expect(sut.tools).toEqual([a, b]);
  });

  it('refuses to start with two tools of one name', () => {
    const sut = registry([{ metatype: Tool, instance: new Tool('a') }, { metatype: Tool, instance: new Tool('a') }]);
    expect(() => sut.onModuleInit()).toThrow(new Error('Two MCP tools share a name'));
  });
});
