// Mutation testing of account linking (src/oauth: the authorization server's configuration, the hosted page's
// endpoints, the metadata, the bearer check and the connected apps; src/upstream: sign-in with Google, Microsoft
// or any OpenID provider; src/account: the account page; src/passkeys: passkey sign-in on the pages) against its unit specs and the linking and upstream e2e specs, which boot the app in process: `npx stryker run mutation/stryker.linking.config.mjs`. The default run (mutation/stryker.config.mjs)
// covers the rest, the OAuth state store included.
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../../stryker.shared.mjs';

export default {
  ...strykerConfig({
    plugin: fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner')),
    jestConfig: 'mutation/jest.linking.config.js',
    baseEnvironment: 'jest-environment-node',
    mutate: ['src/{oauth,upstream,account,passkeys}/*.ts', '!src/{oauth,upstream,account,passkeys}/*.spec.ts', '!src/oauth/{oauth.module,oauth-storage}.ts', '!src/{upstream/upstream,account/account,passkeys/passkeys}.module.ts'],
    name: 'linking',
  }),
  timeoutMS: 60000,
};
