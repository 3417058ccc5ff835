/**
 * The widget-only tools beyond the two first steps: another code, "Forgot
 * password?" (reset code, then a new password) and the household profile
 * picker. Same rules and limits as the HTTP API.
 */
import { ToolName } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import {
  newPasswordInput,
  type NewPasswordInput,
  profileInput,
  type ProfileInput,
  resetInput,
  type ResetInput,
  sessionInput,
} from '../session/session.inputs.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, type ToolDescriptor } from './mcp-tool.js';
import { codeAcceptedText, runStep, toolResult } from './tool-results.js';

const stepAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

@McpTool()
export class ResendCodeTool implements McpToolProvider<typeof sessionInput> {
  readonly name = ToolName.resendCode;
  readonly descriptor: ToolDescriptor<typeof sessionInput> = {
    title: 'Resend Target code',
    description: 'Called by the sign-in widget only: sends a new 6-digit code.',
    inputSchema: sessionInput,
    annotations: stepAnnotations,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  handle({ sessionId }: { sessionId: string }) {
    return runStep(async () => toolResult(await this.sessions.resendCode(sessionId), 'A new code was sent.'));
  }
}

@McpTool()
export class StartPasswordResetTool implements McpToolProvider<typeof resetInput> {
  readonly name = ToolName.startPasswordReset;
  readonly descriptor: ToolDescriptor<typeof resetInput> = {
    title: 'Reset Target password',
    description: 'Called by the sign-in widget only: mails a code to reset the password of the e-mail typed.',
    inputSchema: resetInput,
    annotations: stepAnnotations,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  handle({ sessionId, email, device }: ResetInput) {
    return runStep(async () =>
      toolResult(await this.sessions.startPasswordReset(sessionId, email, device), 'If that e-mail has an account, a reset code was sent.'),
    );
  }
}

@McpTool()
export class SetPasswordTool implements McpToolProvider<typeof newPasswordInput> {
  readonly name = ToolName.setPassword;
  readonly descriptor: ToolDescriptor<typeof newPasswordInput> = {
    title: 'Set new Target password',
    description: 'Called by the sign-in widget only: sets the new password after a reset code.',
    inputSchema: newPasswordInput,
    annotations: stepAnnotations,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  handle({ sessionId, password }: NewPasswordInput) {
    return runStep(async () => {
      const result = await this.sessions.setPassword(sessionId, password);
      return toolResult(result, codeAcceptedText(result));
    });
  }
}

@McpTool()
export class SelectProfileTool implements McpToolProvider<typeof profileInput> {
  readonly name = ToolName.selectProfile;
  readonly descriptor: ToolDescriptor<typeof profileInput> = {
    title: 'Choose Target profile',
    description: 'Called by the sign-in widget only: picks who of a household is signing in.',
    inputSchema: profileInput,
    annotations: stepAnnotations,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  handle({ sessionId, profileId }: ProfileInput) {
    return runStep(async () => {
      const result = await this.sessions.selectProfile(sessionId, profileId);
      return toolResult(result, codeAcceptedText(result));
    });
  }
}
