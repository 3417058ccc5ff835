/**
 * The server as a host lists it: its introduction (name, capabilities, instructions), the widget resource
 * and the tool catalogue: names, titles, the words the model reads, annotations, input
 * schemas, visibility and auth declarations. It is the server's contract with every host and model, so a
 * change to it shows up here (in the committed snapshot) and is reviewed, never slipped in.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { Test, type TestingModule } from '@nestjs/testing';
import { ToolName } from '@target-auth/shared/tools';
import { z } from 'zod';
import { AppModule } from '../app.module.js';
import { McpServerFactory } from '../mcp/mcp-server.factory.js';
import { testConfig } from '../testing/fakes.js';
import { WidgetResource } from '../widget/widget.resource.js';

describe('the tool catalogue', () => {
  let module: TestingModule;
  let client: Client;
  let widgetUri: string;

  beforeAll(async () => {
    module = await Test.createTestingModule({ imports: [AppModule.forRoot(testConfig())] }).compile();
    await module.init();
    widgetUri = module.get(WidgetResource).uri;
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await module.get(McpServerFactory).create().connect(serverSide);
    client = new Client({ name: 'catalogue', version: '1.0.0' });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client.close();
    await module.close();
  });

  it('lists every tool as hosts and models see it', async () => {
    // As sent: the SDK's client would drop the top-level `securitySchemes` hosts read.
    const { tools } = await client.request({ method: 'tools/list', params: {} }, z.looseObject({ tools: z.array(z.looseObject({})) }));
    // The widget's URI carries a hash of its build; everything else is fixed.
    const listed = JSON.parse(JSON.stringify(tools).replaceAll(widgetUri, 'ui://widget/<build>.html'));
    expect(listed.map((tool: { name: string }) => tool.name).sort()).toEqual(Object.values(ToolName).sort());
    expect(listed).toMatchSnapshot();
  });

  it('introduces the server and what it serves', async () => {
    expect(client.getServerVersion()).toEqual({ name: 'target-auth', title: 'Target sign-in', version: expect.any(String) });
    expect(client.getServerCapabilities()).toEqual({ tools: {}, resources: {} });
    expect(client.getInstructions()).toMatchSnapshot();
    const { resources } = await client.listResources();
    expect(resources.map((resource) => ({ ...resource, uri: resource.uri.replace(widgetUri, 'ui://widget/<build>.html') }))).toMatchSnapshot();
  });

  it('tells the model never to ask for a password or code in chat', async () => {
    const { tools } = await client.listTools();
    const authenticate = tools.find((tool) => tool.name === ToolName.authenticate)!;
    expect(authenticate.description).toContain('never ask for them in chat');
  });
});
