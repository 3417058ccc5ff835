/**
 * Turns service outcomes into MCP results: `structuredContent` for the widget,
 * a text `content` for the model, and refusals as `isError` results whose
 * message is safe to show. Unexpected failures never leak their details.
 */
import { Logger } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { CodeAcceptedResult } from '@target-auth/shared/tools';
import { InvalidInputError } from '../http/invalid-input.error.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';
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

/** "Lauren Bailey (lauren@example.com, profile Sam)": who, as every tool tells the model (the profile only when it is another name). */
export function whoText(who: { name: string; email: string; profile?: string | null }): string {
  const profile = who.profile && who.profile !== who.name ? `, profile ${who.profile}` : '';
  return `${who.name} (${who.email}${profile})`;
}

/** What the model reads after a code, a new password or a profile was accepted. */
export function codeAcceptedText(result: CodeAcceptedResult): string {
  if (result.authenticated) return `Signed in to Target as ${whoText(result)}.`;
  switch (result.step) {
    case 'profile':
      return 'Code accepted; the user is choosing who is signing in.';
    case 'verify':
      return 'Mailed code accepted; waiting for the code from the authenticator app.';
    case 'new-password':
      return 'Code accepted; the user is choosing a new password.';
  }
}
