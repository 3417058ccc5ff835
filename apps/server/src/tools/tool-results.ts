/**
 * Turns service outcomes into MCP results: `structuredContent` for the widget,
 * a text `content` for the model, and refusals as `isError` results whose
 * message is safe to show. Unexpected failures never leak their details.
 */
import { Logger } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { CodeAcceptedResult } from '@target-auth/shared/tools';
import { InvalidInputError } from '../http/invalid-input.error.js';
import { StoreUnavailableError } from '../session/session.store.js';
import { StepError, unavailable } from '../session/step-error.js';

const logger = new Logger('Tools');

export function toolResult(structuredContent: object, text: string): CallToolResult {
  return { structuredContent: structuredContent, content: [{ type: 'text', text }] };
}

export function toolError(error: StepError): CallToolResult {
  return {
    isError: true,
    structuredContent: error.toResult(),
    content: [{ type: 'text', text: error.message }],
  };
}

/** Runs a step; a `StepError` becomes an `isError` result, anything else a generic one. */
export async function runStep(step: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof StepError) return toolError(error);
    if (error instanceof InvalidInputError) return toolError(new StepError('invalid_input', error.message));
    if (error instanceof StoreUnavailableError) return toolError(unavailable());
    logger.error(`Tool failed: ${error instanceof Error ? error.name : 'unknown error'}`);
    return toolError(unavailable());
  }
}

/** What the model reads after a code, a new password or a profile was accepted. */
export function codeAcceptedText(result: CodeAcceptedResult): string {
  if (result.authenticated) {
    const profile = result.profile && result.profile !== result.name ? `, profile ${result.profile}` : '';
    return `Signed in to Target as ${result.name} (${result.email}${profile}).`;
  }
  switch (result.step) {
    case 'profile':
      return 'Code accepted; the user is choosing who is signing in.';
    case 'verify':
      return 'Mailed code accepted; waiting for the code from the authenticator app.';
    case 'new-password':
      return 'Code accepted; the user is choosing a new password.';
  }
}
