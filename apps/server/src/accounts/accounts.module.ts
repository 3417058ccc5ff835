import { Module } from '@nestjs/common';
import { AccountDirectory } from './account-directory.js';
import { DemoAccountDirectory } from './demo-account-directory.js';
import { DemoOneTimeCodes } from './demo-one-time-codes.js';
import { OneTimeCodes } from './one-time-codes.js';

/** Binds the credential and code checks; swap these two lines for real accounts. */
@Module({
  providers: [
    { provide: AccountDirectory, useClass: DemoAccountDirectory },
    { provide: OneTimeCodes, useClass: DemoOneTimeCodes },
  ],
  exports: [AccountDirectory, OneTimeCodes],
})
export class AccountsModule {}
