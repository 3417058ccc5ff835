import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { type Account, AccountDirectory } from './account-directory.js';

/**
 * Demo mode: any well-formed email with any non-empty password is accepted.
 * The name comes from `DEMO_USERS`, else the default demo identity.
 */
@Injectable()
export class DemoAccountDirectory extends AccountDirectory {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async verifyCredentials(email: string, password: string): Promise<Account | null> {
    if (password.length === 0) return null;
    const demo = this.config.demo;
    const name = demo.users[email.toLowerCase()]?.name ?? demo.defaultName;
    return { email, name };
  }
}
