/** Starts the real server and an assistant client once per describe block, and stops both after it. */
import { test } from '@playwright/test';
import { Assistant } from './assistant.js';
import { type RunningServer, startServer } from './server.js';

export interface ServerAndAssistant {
  server: RunningServer;
  assistant: Assistant;
}

/** Call inside `test.describe`; the returned object is filled in `beforeAll`. */
export function useServer(env: Record<string, string> = {}): ServerAndAssistant {
  const context = {} as ServerAndAssistant;
  test.beforeAll(async () => {
    context.server = await startServer(env);
    context.assistant = await Assistant.connect(context.server.url);
  });
  test.afterAll(async () => {
    await context.assistant?.close();
    await context.server?.stop();
  });
  return context;
}
