export * from './keyspace.js';
export * from './redis-url.js';
export * from './redis-connect.js';
export * from './redis-script.js';
