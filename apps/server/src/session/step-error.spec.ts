import { describe, expect, it } from '@jest/globals';
import { UNAVAILABLE_MESSAGE } from '@target-auth/shared/tools';
import { rateLimited, StepError, unavailable } from './step-error.js';

describe(rateLimited.name, () => {
  it('says when to try again in words, rounding up, and in whole seconds', () => {
    const said = (seconds: number) => rateLimited('Too many tries.', seconds).toResult();
    expect(said(0.2)).toEqual({ error: 'rate_limited', message: 'Too many tries. Try again in 1 second.', retryAfterSeconds: 1 });
    expect(said(2)).toMatchObject({ message: 'Too many tries. Try again in 2 seconds.', retryAfterSeconds: 2 });
    expect(said(59.5)).toMatchObject({ message: 'Too many tries. Try again in 1 minute.', retryAfterSeconds: 60 });
    expect(said(59)).toMatchObject({ message: 'Too many tries. Try again in 59 seconds.' });
    expect(said(60)).toMatchObject({ message: 'Too many tries. Try again in 1 minute.' });
    expect(said(61)).toMatchObject({ message: 'Too many tries. Try again in 2 minutes.', retryAfterSeconds: 61 });
    expect(said(900)).toMatchObject({ message: 'Too many tries. Try again in 15 minutes.' });
  });
});

describe(unavailable.name, () => {
  it('is the store-outage refusal, with the shared message', () => {
    const error = unavailable();
    expect(error).toBeInstanceOf(StepError);
    expect(error.toResult()).toEqual({ error: 'unavailable', message: UNAVAILABLE_MESSAGE });
  });
});
