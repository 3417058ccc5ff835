// Account linking's specs: the oauth, upstream, account-page and passkey unit specs (but the storage contract's, which waits for expiries; the
// unit run covers oauth-storage.ts), the account tool's, and the linking e2e specs (which boot the app in
// process). What the linking mutation run (stryker.linking.config.mjs) runs per mutant.
import base from '../jest.config.js';

export default {
  ...base,
  // This file lives in mutation/: the package is the root its paths name.
  rootDir: '..',
  testMatch: [
    '**/src/oauth/{bearer-auth,oauth-server,client-identity,client-secrets,redirect-uris,outbound-fetch,linked-profiles,consents,connected-apps}.spec.ts',
    '**/src/upstream/*.spec.ts',
    '**/src/account/*.spec.ts',
    '**/src/passkeys/*.spec.ts',
    '**/src/tools/account.tool.spec.ts',
    '**/test/{linking,linking-real,linking-security,linking-ssrf,upstream,demo-idp,account-page,account-page-real,passkeys}.e2e-spec.ts',
  ],
};
