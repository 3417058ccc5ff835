/**
 * The account page's file: the widget's third entry (apps/widget/account.html),
 * served as the hosted sign-in page is (hosted-page.ts): its inline scripts
 * allowed by hash, this origin only, never framed.
 */
import { createRequire } from 'node:module';
import { HostedPage } from '../widget/hosted-page.js';

export function defaultAccountPagePath(): string {
  return createRequire(import.meta.url).resolve('@target-auth/widget/account-html');
}

export class AccountPage extends HostedPage {
  constructor(path: string) {
    super(path, 'Account page');
  }
}
