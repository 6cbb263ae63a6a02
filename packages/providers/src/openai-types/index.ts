export * from './chat-completion-request.js';
export * from './completion-request.js';
export * from './embedding-request.js';
export * from './responses.js';
