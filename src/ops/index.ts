/** The public differentiable ops, one family per file. */
export { cast } from './cast.js';
export * from './arithmetic.js';
export * from './unary.js';
export * from './activations.js';
export * from './compare.js';
export * from './logical.js';
export * from './reshape.js';
export * from './broadcast.js';
export * from './reduce.js';
