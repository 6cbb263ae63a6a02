// @bascule/test-support: helpers shared by the tests in test/ and in the packages' own src/**.test.ts.
// Test code only: product code never imports it (a devDependency wherever it is used).
export { waitFor } from './wait-for.js';
export { slowClient, type SlowClientOptions, type SlowClientOutcome } from './slow-client.js';
