/** Reads a password from stdin (`--password-stdin`) or, on a terminal, from a prompt that does not echo. */
import { stdin, stderr } from 'node:process';

export class PasswordInputError extends Error {
  override name = 'PasswordInputError';
}

export async function readPassword(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin) return (await readAll()).replace(/\r?\n$/, '');
  if (!stdin.isTTY) throw new PasswordInputError('No terminal to ask for the password: pipe it in with --password-stdin.');
  const first = await ask(prompt);
  const second = await ask('Again: ');
  if (first !== second) throw new PasswordInputError('The two passwords differ.');
  return first;
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function ask(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new PasswordInputError('Cancelled.'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
