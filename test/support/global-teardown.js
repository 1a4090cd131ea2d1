/** jest globalTeardown: removes the run's folder made by global-setup.js. */
const { rmSync } = require('node:fs');

module.exports = () => {
	if (process.env.PLAID_LAYER_TEST_DIR) rmSync(process.env.PLAID_LAYER_TEST_DIR, { recursive: true, force: true });
};
