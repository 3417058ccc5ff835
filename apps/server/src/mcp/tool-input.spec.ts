import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { InvalidInputError } from '../http/invalid-input.error.js';
import { parseToolArgs } from './tool-input.js';
import { describeIssue } from '../http/invalid-input.error.js';

const schema = z.strictObject({ email: z.string().email('Enter a valid email address'), nested: z.object({ code: z.string().length(6, 'six digits') }).optional() });

describe(parseToolArgs.name, () => {
  it('returns the checked arguments, missing ones read as none', () => {
    expect(parseToolArgs(schema, { email: 'ada@example.com' })).toEqual({ email: 'ada@example.com' });
    expect(parseToolArgs(z.strictObject({}), undefined)).toEqual({});
  });

  it('names the first bad field and its rule, never the value', () => {
    const attempt = (args: unknown) => {
      try {
        parseToolArgs(schema, args);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(attempt({ email: 'hunter2-not-an-email' })).toEqual(new InvalidInputError('email: Enter a valid email address'));
    expect(attempt({ email: 'ada@example.com', nested: { code: 'secret-code' } })).toEqual(new InvalidInputError('nested.code: six digits'));
    expect(String((attempt({ email: 'hunter2-not-an-email' }) as Error).message)).not.toContain('hunter2');
  });
});

describe(describeIssue.name, () => {
  it('says "Invalid input" without an issue, and leaves out an empty path', () => {
    expect(describeIssue(undefined)).toBe('Invalid input');
    expect(describeIssue({ code: 'custom', path: [], message: 'Expected an object', input: null } as never)).toBe('Expected an object');
  });
});
