/**
 * A passkey authenticator in software, for tests that check the server's
 * WebAuthn handling without a browser: it makes ES256 credentials with
 * "none" attestation and signs assertions, and can be told to lie (another
 * origin or relying party, no user verification, a counter that goes back).
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface Ceremony {
  challenge: string;
  /** Defaults to the authenticator's origin. */
  origin?: string;
  /** Defaults to the authenticator's relying party. */
  rpId?: string;
  /** Whether the person was verified (PIN, biometrics); true unless said. */
  verified?: boolean;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly cose: Uint8Array;
  /** The signature counter the next assertion carries (after adding one). */
  counter = 0;

  constructor(
    private readonly origin: string,
    private readonly rpId: string,
    /** The user handle the relying party gave at registration (base64url). */
    private userHandle = '',
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  get id(): string {
    return b64(this.credentialId);
  }

  /** The browser's answer to registration options (`user.id` is kept as the user handle). */
  register(ceremony: Ceremony & { userId?: string }): object {
    if (ceremony.userId) this.userHandle = ceremony.userId;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([this.authData(ceremony, AT), Buffer.alloc(16), idLength, this.credentialId, this.cose]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: this.clientData('webauthn.create', ceremony), attestationObject: b64(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** The browser's answer to authentication options: an assertion signed with the credential's key. */
  assert(ceremony: Ceremony): object {
    this.counter += 1;
    const authData = this.authData(ceremony, 0);
    const clientDataJSON = this.clientData('webauthn.get', ceremony);
    const signed = Buffer.concat([authData, createHash('sha256').update(Buffer.from(clientDataJSON, 'base64url')).digest()]);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON, authenticatorData: b64(authData), signature: b64(sign('sha256', signed, this.privateKey)), userHandle: this.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private authData(ceremony: Ceremony, extra: number): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const flags = UP | (ceremony.verified === false ? 0 : UV) | extra;
    return Buffer.concat([createHash('sha256').update(ceremony.rpId ?? this.rpId).digest(), Buffer.from([flags]), counter]);
  }

  private clientData(type: string, ceremony: Ceremony): string {
    return Buffer.from(JSON.stringify({ type, challenge: ceremony.challenge, origin: ceremony.origin ?? this.origin, crossOrigin: false })).toString('base64url');
  }
}
