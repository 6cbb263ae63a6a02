export * from './builtin-schemas.js';
export * from './builtin-semantics.js';
export * from './builtin-validation-plugin.js';
export * from './decode-builtin.js';
