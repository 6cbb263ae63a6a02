/** Key ids as the key store issues them (`key_` and 16 hex digits). */
export const KEY_ID_PATTERN = /^key_[0-9a-f]{16}$/;
