/**
 * JSON for the model file's metadata. Plain JSON turns NaN and ±Infinity into null (a
 * ReduceLROnPlateau's best loss starts at Infinity); here they are written as
 * `{"$number": "Infinity"}` and read back as numbers, so a round trip is exact.
 */

export function stringifyJSON(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v,
  );
}

/** Parses text written by `stringifyJSON`; throws SyntaxError on invalid JSON. */
export function parseJSON(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const n = (v as { $number?: unknown }).$number;
      if (keys.length === 1 && (n === 'NaN' || n === 'Infinity' || n === '-Infinity')) return Number(n);
    }
    return v;
  });
}
