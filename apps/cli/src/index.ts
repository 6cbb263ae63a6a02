export * from './cli/cli-io.js';
export * from './cli/command.js';
export * from './cli/exit-codes.js';
export * from './cli/run-cli.js';
export * from './cli/usage-error.js';
export * from './commands/index.js';
