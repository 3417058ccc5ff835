import { describe, expect, it } from '@jest/globals';
import { readOptions } from './scenarios';

describe(readOptions.name, () => {
  it('uses the fake backend by default', () => {
    expect(readOptions('')).toEqual({ scenario: 'fresh', backend: 'fake', theme: 'light', serverUrl: 'http://localhost:3000' });
  });

  it('switches to the real server when ?server= is given alone', () => {
    expect(readOptions('?server=http://localhost:4000')).toMatchObject({ backend: 'server', serverUrl: 'http://localhost:4000' });
    expect(readOptions('?server=http://localhost:4000&backend=fake')).toMatchObject({ backend: 'fake' });
  });
});
