// Jest's own sequencer, keeping in a mutant run only the spec files that reached the mutant. See spec-index.cjs.
'use strict';
const { withSpecFilter, packageRequire } = require('./spec-index.cjs');

const base = packageRequire()('@jest/test-sequencer');
module.exports = withSpecFilter(base.default ?? base);
