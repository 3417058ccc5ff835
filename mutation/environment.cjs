// The package's test environment (its Jest config's `testEnvironment`, passed by stryker.shared.mjs as
// `mutationBaseEnvironment`), recording which spec files reach which mutants. See spec-index.cjs.
'use strict';
const { withSpecIndex, packageRequire } = require('./spec-index.cjs');

module.exports = function MutationEnvironment(config, context) {
  const base = packageRequire()(config.projectConfig.testEnvironmentOptions.mutationBaseEnvironment);
  const Environment = withSpecIndex(base.TestEnvironment ?? base.default ?? base);
  return new Environment(config, context);
};
