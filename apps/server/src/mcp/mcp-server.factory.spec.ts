import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AuthInfo, Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { Test, type TestingModule } from '@nestjs/testing';
import { ToolName } from '@target-auth/shared/tools';
import { z } from 'zod';
import { AppModule } from '../app.module.js';
import { testConfig } from '../testing/fakes.js';
import { McpTool, type McpToolProvider, type ToolContext } from '../tools/mcp-tool.js';
import { toolResult } from '../tools/tool-results.js';
import { defaultWidgetPath, WidgetResource } from '../widget/widget.resource.js';
import { McpServerFactory } from './mcp-server.factory.js';

const echoInput = z.strictObject({ text: z.string() });

/** A tool added only here: adding a provider must be all it takes. */
@McpTool()
class EchoTool implements McpToolProvider<typeof echoInput> {
  readonly name = 'echo';
  readonly descriptor = { title: 'Echo', description: 'Echoes', inputSchema: echoInput, annotations: { readOnlyHint: true } };
  handle({ text }: { text: string }, context: ToolContext) {
    return Promise.resolve(toolResult({ text, era: context.era, clientId: context.authInfo?.clientId ?? null }, text));
  }
}

describe(McpServerFactory.name, () => {
  let module: TestingModule;
  let sut: McpServerFactory;
  // The built widget, copied where a test can rebuild it.
  const widgetPath = join(mkdtempSync(join(tmpdir(), 'widget-')), 'index.html');
  writeFileSync(widgetPath, readFileSync(defaultWidgetPath()));

  beforeAll(async () => {
    module = await Test.createTestingModule({ imports: [AppModule.forRoot(testConfig())], providers: [EchoTool] })
      .overrideProvider(WidgetResource)
      .useValue(new WidgetResource(widgetPath))
      .compile();
    await module.init();
    sut = module.get(McpServerFactory);
  });
  afterAll(() => module.close());

  async function connected(): Promise<Client> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await sut.create().connect(serverSide);
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(clientSide);
    return client;
  }

  it('builds a new server every time', () => {
    expect(sut.create()).not.toBe(sut.create());
  });

  it('registers every discovered tool provider, including one added elsewhere', async () => {
    const client = await connected();
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names.sort()).toEqual([...Object.values(ToolName), 'echo'].sort());
    const echoed = (await client.callTool({ name: 'echo', arguments: { text: 'hi' } }));
    expect(echoed.structuredContent).toEqual({ text: 'hi', era: 'legacy', clientId: null });
    await client.close();
  });

  it("hands every tool its server's era and the verified token its message carries", async () => {
    const echo = async (era: 'legacy' | 'modern', authInfo?: AuthInfo) => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await sut.create(era).connect(serverSide);
      const answer = new Promise((resolve) => (clientSide.onmessage = resolve));
      await clientSide.start();
      await clientSide.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'who' } } }, authInfo && { authInfo });
      const { result } = (await answer) as { result: { structuredContent: unknown } };
      await clientSide.close();
      return result.structuredContent;
    };
    const authInfo: AuthInfo = { token: 'opaque', clientId: 'chatgpt', scopes: ['account:read'] };
    expect(await echo('modern', authInfo)).toEqual({ text: 'who', era: 'modern', clientId: 'chatgpt' });
    expect(await echo('legacy', authInfo)).toEqual({ text: 'who', era: 'legacy', clientId: 'chatgpt' });
    expect(await echo('modern')).toEqual({ text: 'who', era: 'modern', clientId: null });
  });

  it('refuses an unknown tool by name (invalid params)', async () => {
    const client = await connected();
    await expect(client.callTool({ name: 'nope', arguments: {} })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('Tool nope not found') });
    await client.close();
  });

  it('checks arguments before the tool runs, naming the field and not the value', async () => {
    const client = await connected();
    const refused = await client.callTool({ name: 'echo', arguments: { text: 42, extra: 'secret-value' } });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ error: 'invalid_input', message: expect.stringMatching(/^text: /) });
    expect(JSON.stringify(refused)).not.toContain('secret-value');
    await client.close();
  });

  it('lists the widget’s current URI after a rebuild', async () => {
    const widget = module.get(WidgetResource);
    const before = widget.uri;
    writeFileSync(widgetPath, `${widget.html}<!-- rebuilt -->`);
    widget.reload();
    expect(widget.uri).not.toBe(before);
    const client = await connected();
    const { tools } = await client.listTools();
    const meta = tools.find((tool) => tool.name === ToolName.authenticate)?._meta as { ui: { resourceUri: string } };
    expect(meta.ui.resourceUri).toBe(widget.uri);
    expect((await client.listResources()).resources[0]?.uri).toBe(widget.uri);
    await client.close();
  });

  it('keeps servers apart: closing one leaves another serving', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    await a.close();
    const created = (await b.callTool({ name: ToolName.createSession, arguments: {} }));
    expect(created.isError).toBeFalsy();
    await b.close();
  });
});
