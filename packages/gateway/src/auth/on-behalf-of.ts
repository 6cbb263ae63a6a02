/**
 * Header the worker puts on queued work it sends through the gateway: the id of the key that
 * submitted the job or batch. The gateway then admits the request under that key (scope,
 * budget) and bills it there. Only an admin key (the worker's) may send it; on any other key
 * it is a 403.
 */
export const ON_BEHALF_OF_HEADER = 'x-bascule-on-behalf-of';

/** Key ids as the key store issues them (`key_` and 16 hex digits). */
export const KEY_ID_PATTERN = /^key_[0-9a-f]{16}$/;
