export * from './address.js';
export * from './amount.js';
export * from './time.js';
export * from './types.js';
export * from './normalize.js';
export * from './keys.js';
export * from './serialize.js';
