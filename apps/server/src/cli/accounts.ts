/**
 * `pnpm accounts …`: the operator's account commands, against the embedded
 * database (DATA_DIR) or DATABASE_URL, with the same settings as the server
 * (environment and `.env`). Passwords come from stdin or a prompt without
 * echo, never from arguments; nothing secret is printed except the TOTP
 * enrolment URI and QR code, which the operator asked for.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { checkPasswordPolicy, hashPassword, WeakPasswordError } from '../accounts/passwords.js';
import { KeyRing, loadSecretKey, SecretKeyError } from '../accounts/secret-key.js';
import { AccountStore, DuplicateError, type StoredAccount } from '../accounts/store/account-store.js';
import { databaseProblem, DataDirInUseError, openDatabase } from '../accounts/store/database.js';
import { IdentityStore } from '../accounts/store/identity-store.js';
import { newTotpSecret } from '../accounts/totp.js';
import { PasswordInputError, readPassword } from './read-password.js';

export const USAGE = `Usage: pnpm accounts <command>

  add --email E --name N [--password-stdin]   create an account (password prompted, or read from stdin)
  list                                        accounts, their status, TOTP and profiles (no secrets)
  disable E | enable E                        stop or allow sign-in for an account
  set-password E [--password-stdin]           replace an account's password
  totp enable E | totp disable E              authenticator-app codes instead of mailed ones
                                              (disable: the way back in for a lost authenticator)

Each of disable, enable, set-password and totp ends every sign-in of the account made before it:
its signed-in sessions, linked apps' access and refresh tokens, and signed-in browsers.
  profile add E "Name"                        add a profile (a person of the household)
  identities list E                           the Google, Microsoft and OpenID sign-ins linked to an account
  identities unlink E ISSUER SUBJECT          unlink one (ends the account's earlier sign-ins, as above)

Settings as for the server: DATA_DIR (embedded database, default ./data) or DATABASE_URL, and SECRET_KEY.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

class CommandError extends Error {
  override name = 'CommandError';
}

export interface CliIo {
  out(line: string): void;
  password(prompt: string, fromStdin: boolean): Promise<string>;
}

export async function runAccounts(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    io.out(USAGE);
    return;
  }
  const config = loadConfig(env);
  const { dataDir, databaseUrl, secretKey } = config.accounts;
  const database = await openDatabase({ dataDir, databaseUrl });
  try {
    const store = new AccountStore(database.db);
    const keys = () => {
      const secret = loadSecretKey({ secretKey, dataDir, embedded: databaseUrl === undefined });
      if (secret.generated) io.out(`Generated SECRET_KEY into ${secret.path}.`);
      return new KeyRing(secret.key);
    };
    const find = async (email: string | undefined): Promise<StoredAccount> => {
      if (!email) throw new UsageError(`${command} needs an e-mail address.`);
      const account = await store.findByEmail(email);
      if (!account) throw new CommandError(`No account with the e-mail ${email}.`);
      return account;
    };
    switch (command) {
      case 'add': {
        const email = required(values.email, '--email');
        const name = required(values.name, '--name').trim();
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError(`${email} is not an e-mail address.`);
        if (name.length === 0 || name.length > 100) throw new UsageError('--name must be 1 to 100 characters.');
        if (await store.findByEmail(email)) throw new CommandError(`An account with the e-mail ${email} already exists.`);
        const password = await newPassword(io, email, values['password-stdin'] === true);
        const account = await store.create({ email, displayName: name, passwordHash: await hashPassword(password) });
        io.out(`Added ${account.email} (${account.displayName}), id ${account.id}.`);
        return;
      }
      case 'list': {
        const accounts = await store.list();
        if (accounts.length === 0) io.out('No accounts yet. Add one with: pnpm accounts add --email E --name N');
        for (const account of accounts) {
          const extras = [account.status, account.totp ? 'totp' : 'mailed codes', `profiles: ${account.profiles.join(', ') || '—'}`];
          io.out(`${account.email}\t${account.displayName}\t${extras.join('\t')}\t${account.id}`);
        }
        return;
      }
      case 'disable':
      case 'enable': {
        const account = await find(rest[0]);
        await store.changeCredentials(account.id, { status: command === 'disable' ? 'disabled' : 'active' }, new Date());
        io.out(`${account.email} is ${command === 'disable' ? 'disabled: it cannot sign in' : 'enabled'}.`);
        return;
      }
      case 'set-password': {
        const account = await find(rest[0]);
        const password = await newPassword(io, account.email, values['password-stdin'] === true);
        await store.changeCredentials(account.id, { passwordHash: await hashPassword(password) }, new Date());
        io.out(`Password of ${account.email} replaced; its earlier sign-ins and linked apps' tokens no longer work.`);
        return;
      }
      case 'totp': {
        const [action, email] = rest;
        if (action !== 'enable' && action !== 'disable') throw new UsageError('Use: totp enable E, or totp disable E.');
        const account = await find(email);
        if (action === 'disable') {
          await store.changeCredentials(account.id, { totpSecret: null }, new Date());
          io.out(`${account.email} gets codes by e-mail again.`);
          return;
        }
        const { secret, uri } = newTotpSecret(account.email);
        await store.changeCredentials(account.id, { totpSecret: keys().seal(secret) }, new Date());
        const { default: qrcode } = await import('qrcode');
        io.out(`Scan this with the authenticator app of ${account.email}, or enter the URI:\n`);
        io.out(await qrcode.toString(uri, { type: 'terminal', small: true }));
        io.out(uri);
        io.out('\nFrom now on this account signs in with the app\'s 6-digit codes instead of mailed ones.');
        return;
      }
      case 'profile': {
        const [action, email, name] = rest;
        if (action !== 'add') throw new UsageError('Use: profile add E "Name".');
        const account = await find(email);
        const profileName = name?.trim() ?? '';
        if (profileName.length === 0 || profileName.length > 100) throw new UsageError('The profile name must be 1 to 100 characters.');
        await store.addProfile(account.id, profileName);
        const names = (await store.profiles(account.id)).map((profile) => profile.name);
        io.out(`Profiles of ${account.email}: ${names.join(', ')}.`);
        return;
      }
      case 'identities': {
        const [action, email, issuer, subject] = rest;
        const account = await find(email);
        const identities = new IdentityStore(database.db);
        if (action === 'list') {
          const linked = await identities.list(account.id);
          if (linked.length === 0) io.out(`${account.email} has no linked sign-ins.`);
          for (const identity of linked) {
            const dates = `linked ${identity.createdAt.toISOString()}\tlast used ${identity.lastUsedAt.toISOString()}`;
            io.out(`${identity.provider}\t${identity.issuer}\t${identity.subject}\t${identity.email ?? '—'}\t${dates}`);
          }
          return;
        }
        if (action !== 'unlink') throw new UsageError('Use: identities list E, or identities unlink E ISSUER SUBJECT.');
        if (!issuer || !subject) throw new UsageError('identities unlink needs the ISSUER and SUBJECT that identities list shows.');
        if (!(await identities.unlink(account.id, { issuer, subject }))) throw new CommandError(`${account.email} has no linked sign-in ${subject} from ${issuer}.`);
        await store.changeCredentials(account.id, {}, new Date());
        io.out(`Unlinked ${subject} (${issuer}) from ${account.email}; its earlier sign-ins and linked apps' tokens no longer work.`);
        return;
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } finally {
    await database.close();
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required.`);
  return value;
}

async function newPassword(io: CliIo, email: string, fromStdin: boolean): Promise<string> {
  const password = await io.password('Password: ', fromStdin);
  try {
    await checkPasswordPolicy(password, email);
  } catch (error) {
    if (error instanceof WeakPasswordError) throw new CommandError(`Weak password: ${error.message}`);
    throw error;
  }
  return password;
}

/** The message for an error the operator can act on, or undefined for a bug. */
export function explainFailure(error: unknown): string | undefined {
  if (error instanceof UsageError) return `${error.message}\n\n${USAGE}`;
  if (error instanceof CommandError || error instanceof DuplicateError || error instanceof ConfigError) return error.message;
  if (error instanceof DataDirInUseError || error instanceof SecretKeyError || error instanceof PasswordInputError) return error.message;
  return databaseProblem(error);
}

/** Run as a program (dist/cli/accounts.js). */
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  runAccounts(process.argv.slice(2), process.env, { out: (line) => console.log(line), password: readPassword }).then(
    () => process.exit(0),
    (error: unknown) => {
      const message = explainFailure(error);
      if (message === undefined) throw error;
      console.error(message);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
