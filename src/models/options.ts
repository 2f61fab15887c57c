import { ValueError } from '../errors.js';

/** Rejects unknown options, naming the camelCase spelling of a snake_case one (`batch_size`). */
export function checkOptions(op: string, options: unknown, keys: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object like { ${keys[0]}: ... }, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined || keys.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== key && keys.includes(camel) ? ` (did you mean '${camel}'?)` : '';
    throw new ValueError(`${op}: unknown option '${key}'${hint}; valid options: ${keys.join(', ')}`);
  }
}
