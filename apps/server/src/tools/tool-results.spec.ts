import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { UNAVAILABLE_MESSAGE } from '@target-auth/shared/tools';
import { InvalidInputError } from '../http/invalid-input.error.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { StepError } from '../session/step-error.js';
import { spyLogs } from '../testing/logs.js';
import { codeAcceptedText, runStep, toolResult } from './tool-results.js';

afterEach(() => void jest.restoreAllMocks());

const failing = (error: unknown) =>
  runStep(async () => {
    throw error;
  });

describe(runStep.name, () => {
  it('passes a result through', async () => {
    expect(await runStep(async () => toolResult({ ok: true }, 'Done.'))).toEqual({ structuredContent: { ok: true }, content: [{ type: 'text', text: 'Done.' }] });
  });

  it('answers a refusal as an isError result with its code, message and details', async () => {
    expect(await failing(new StepError('wrong_code', 'That code is not right. 2 attempts left.', { attemptsLeft: 2 }))).toEqual({
      isError: true,
      structuredContent: { error: 'wrong_code', message: 'That code is not right. 2 attempts left.', attemptsLeft: 2 },
      content: [{ type: 'text', text: 'That code is not right. 2 attempts left.' }],
    });
  });

  it('answers bad input as invalid_input, and a store that does not answer as unavailable without a "Tool failed" log', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect((await failing(new InvalidInputError('sessionId: Required'))).structuredContent).toEqual({ error: 'invalid_input', message: 'sessionId: Required' });
    expect((await failing(new StoreUnavailableError('Redis: connection lost'))).structuredContent).toEqual({ error: 'unavailable', message: UNAVAILABLE_MESSAGE });
    // The store reports its own outage; a tool that met it did not fail.
    expect(logged).not.toHaveBeenCalled();
  });

  it('answers anything else as unavailable, logging the error kind but never its message', async () => {
    const logged = spyLogs('error');
    const result = await failing(new TypeError('password=hunter2'));
    expect(result).toMatchObject({ isError: true, structuredContent: { error: 'unavailable', message: UNAVAILABLE_MESSAGE } });
    expect(JSON.stringify(result)).not.toContain('hunter2');
    await failing('a thrown string');
    expect(logged()).toEqual(['Tools: Tool failed: TypeError', 'Tools: Tool failed: unknown error']);
  });
});

describe(codeAcceptedText.name, () => {
  it('says who signed in, naming a household profile only when it is not the account holder', () => {
    expect(codeAcceptedText({ authenticated: true, name: 'Ada', email: 'ada@example.com' })).toBe('Signed in to Target as Ada (ada@example.com).');
    expect(codeAcceptedText({ authenticated: true, name: 'Sam', email: 'home@example.com', profile: 'Sam' })).toBe('Signed in to Target as Sam (home@example.com).');
    expect(codeAcceptedText({ authenticated: true, name: 'Sam', email: 'home@example.com', profile: 'Alex' })).toBe('Signed in to Target as Sam (home@example.com, profile Alex).');
  });

  it('says what the user is doing next when the code led to another step', () => {
    expect(codeAcceptedText({ authenticated: false, step: 'profile', profiles: [] })).toBe('Code accepted; the user is choosing who is signing in.');
    expect(codeAcceptedText({ authenticated: false, step: 'new-password' })).toBe('Code accepted; the user is choosing a new password.');
  });
});
