/**
 * Automatic names of layers and models, as Keras gives them: the class name in snake_case,
 * then `_1`, `_2`, ... for later ones of the same kind (`dense`, `dense_1`). Input layers
 * count from 1 (`input_1`), as in Keras. The counters live for the whole process;
 * `clearSession()` resets them (Keras' `tf.keras.backend.clear_session()`).
 */

const counters = new Map<string, number>();

/** `BatchNormalization` → `batch_normalization`, `Conv2DTranspose` → `conv2d_transpose`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The next free name for `prefix`: `prefix`, `prefix_1`, ... (or `prefix_1`, `prefix_2`, ... when not zero-based). */
export function uniqueName(prefix: string, zeroBased = true): string {
  const n = counters.get(prefix) ?? (zeroBased ? 0 : 1);
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Resets the automatic names, so the next Dense is `dense` again. */
export function clearSession(): void {
  counters.clear();
}
