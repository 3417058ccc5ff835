import { describe, expect, it } from '@jest/globals';
import { FakeClock, testConfig } from '../testing/fakes.js';
import { SoftAuthenticator } from '../testing/soft-authenticator.js';
import type { Account } from './account-directory.js';
import { MemoryPasskeyStore } from './passkey-store.js';
import { PasskeyError, Passkeys } from './passkeys.js';

const ORIGIN = 'https://target.example';
const ADA: Account = { id: '7d1f4c1e-0000-4000-8000-000000000001', email: 'ada@example.com', name: 'Ada Lovelace', secondFactor: 'email', epoch: 0 };

function setup() {
  const store = new MemoryPasskeyStore();
  const clock = new FakeClock();
  const sut = new Passkeys(store, clock, testConfig({ PUBLIC_URL: `${ORIGIN}/` }));
  return { store, clock, sut };
}

/** A passkey registered for Ada on a soft authenticator. */
async function registered() {
  const made = setup();
  const authenticator = new SoftAuthenticator(ORIGIN, 'target.example');
  const options = await made.sut.registrationOptions(ADA);
  await made.sut.register(ADA, authenticator.register({ challenge: options.challenge, userId: options.user.id }), options.challenge, 'Laptop');
  return { ...made, authenticator };
}

const refused = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(PasskeyError);

describe(Passkeys.name, () => {
  it('asks for a discoverable passkey with user verification, for this host, naming the account, excluding the ones it has', async () => {
    const { sut, store } = setup();
    const options = await sut.registrationOptions(ADA);
    expect(options).toMatchObject({
      rp: { name: 'Target', id: 'target.example' },
      user: { name: 'ada@example.com', displayName: 'Ada Lovelace', id: Buffer.from(ADA.id).toString('base64url') },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
      excludeCredentials: [],
      timeout: 120_000,
    });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await store.add({ id: 'cred-1', accountId: ADA.id, publicKey: 'AA', counter: 0, transports: ['usb'], deviceType: 'singleDevice', backedUp: false, name: 'Key', createdAt: 1 });
    expect((await sut.registrationOptions(ADA)).excludeCredentials).toEqual([{ id: 'cred-1', type: 'public-key', transports: ['usb'] }]);
  });

  it('registers a passkey made for the challenge, this origin and this host, with its key, counter and backup state', async () => {
    const { sut, store, clock } = setup();
    const authenticator = new SoftAuthenticator(ORIGIN, 'target.example');
    const options = await sut.registrationOptions(ADA);
    const passkey = await sut.register(ADA, authenticator.register({ challenge: options.challenge, userId: options.user.id }), options.challenge, 'Laptop');
    expect(passkey).toMatchObject({ id: authenticator.id, accountId: ADA.id, counter: 0, transports: ['internal'], deviceType: 'singleDevice', backedUp: false, name: 'Laptop', createdAt: clock.now(), lastUsedAt: null });
    expect(await store.list(ADA.id)).toEqual([passkey]);
    // The same credential again: refused.
    const again = await sut.registrationOptions(ADA);
    await expect(sut.register(ADA, authenticator.register({ challenge: again.challenge }), again.challenge, 'Again')).rejects.toThrow('That passkey is registered already.');
  });

  it.each([
    ['another challenge', { challenge: 'b3RoZXI' }],
    ['another origin', { origin: 'https://evil.example' }],
    ['another relying party', { rpId: 'evil.example' }],
    ['no user verification', { verified: false }],
  ])('refuses to register a passkey made for %s', async (_case, lie) => {
    const { sut, store } = setup();
    const options = await sut.registrationOptions(ADA);
    const response = new SoftAuthenticator(ORIGIN, 'target.example').register({ challenge: options.challenge, ...lie });
    await expect(sut.register(ADA, response, options.challenge, 'Laptop')).rejects.toThrow('That passkey could not be checked. Try again.');
    expect(await store.list(ADA.id)).toEqual([]);
  });

  it('keeps a passkey whose browser names no transports with none', async () => {
    const { sut } = setup();
    const authenticator = new SoftAuthenticator(ORIGIN, 'target.example');
    const options = await sut.registrationOptions(ADA);
    const answer = authenticator.register({ challenge: options.challenge, userId: options.user.id }) as { response: { transports?: string[] } };
    delete answer.response.transports;
    expect((await sut.register(ADA, answer, options.challenge, 'Key')).transports).toEqual([]);
  });

  it('refuses a registration that is not one', async () => {
    const { sut } = setup();
    for (const response of [null, 'x', {}, { id: 'a', rawId: 'a', type: 'public-key', response: {}, clientExtensionResults: {} }, { id: 'a b', rawId: 'a', type: 'public-key', response: { clientDataJSON: 'a', attestationObject: 'a' }, clientExtensionResults: {} }]) {
      await refused(sut.register(ADA, response, 'challenge', 'Laptop'));
    }
  });

  it('signs in with a registered passkey, discoverable (no account named first), and records the use', async () => {
    const { sut, store, clock, authenticator } = await registered();
    const options = await sut.authenticationOptions();
    expect(options).toMatchObject({ rpId: 'target.example', userVerification: 'required', allowCredentials: [], timeout: 120_000 });
    clock.advance(1000);
    const passkey = await sut.authenticate(authenticator.assert({ challenge: options.challenge }), options.challenge);
    expect(passkey.accountId).toBe(ADA.id);
    expect(await store.find(authenticator.id)).toMatchObject({ counter: 1, lastUsedAt: clock.now() });
  });

  it.each([
    ['another challenge', { challenge: 'b3RoZXI' }],
    ['another origin', { origin: 'https://evil.example' }],
    ['another relying party', { rpId: 'evil.example' }],
    ['no user verification', { verified: false }],
  ])('refuses an assertion made for %s', async (_case, lie) => {
    const { sut, authenticator } = await registered();
    const options = await sut.authenticationOptions();
    await expect(sut.authenticate(authenticator.assert({ challenge: options.challenge, ...lie }), options.challenge)).rejects.toThrow('That passkey could not be checked. Try again.');
  });

  it('refuses a replayed assertion, and a cloned authenticator whose counter goes back', async () => {
    const { sut, authenticator, store } = await registered();
    const options = await sut.authenticationOptions();
    const assertion = authenticator.assert({ challenge: options.challenge });
    await sut.authenticate(assertion, options.challenge);
    await refused(sut.authenticate(assertion, options.challenge));
    authenticator.counter = 0;
    const next = await sut.authenticationOptions();
    await refused(sut.authenticate(authenticator.assert({ challenge: next.challenge }), next.challenge));
    expect((await store.find(authenticator.id))?.counter).toBe(1);
  });

  it('refuses a passkey it does not know (removed), one whose user handle names another account, and an answer that is not one', async () => {
    const { sut, store, authenticator } = await registered();
    const options = await sut.authenticationOptions();
    const assertion = authenticator.assert({ challenge: options.challenge }) as { response: { userHandle: string } };
    await expect(sut.authenticate({ ...assertion, response: { ...assertion.response, userHandle: Buffer.from('someone-else').toString('base64url') } }, options.challenge)).rejects.toThrow(
      'That passkey could not be checked.',
    );
    await store.remove(ADA.id, authenticator.id);
    await expect(sut.authenticate(assertion, options.challenge)).rejects.toThrow('This passkey is not registered with Target, or it was removed. Sign in another way.');
    for (const response of [undefined, 42, { id: 'a', rawId: 'a', type: 'other', response: {}, clientExtensionResults: {} }]) await refused(sut.authenticate(response, options.challenge));
  });

  it('signs in with an answer that names no user (the handle is optional), and reads an id with anything but base64url at either end as no answer', async () => {
    const { sut, authenticator } = await registered();
    const options = await sut.authenticationOptions();
    const assertion = authenticator.assert({ challenge: options.challenge }) as { id: string; rawId: string; response: { userHandle?: string } };
    const response = { ...assertion.response };
    delete response.userHandle;
    for (const id of [`${authenticator.id}$`, `$${authenticator.id}`]) {
      const error = await sut.authenticate({ ...assertion, id, rawId: id }, options.challenge).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'PasskeyError', message: 'That passkey could not be checked. Try again.' });
    }
    expect((await sut.authenticate({ ...assertion, response }, options.challenge)).accountId).toBe(ADA.id);
  });
});
