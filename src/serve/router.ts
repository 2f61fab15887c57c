/**
 * A/B traffic: a model's default traffic split between versions by weights. A request
 * that carries a client key goes where the hash of its key falls, so a client sticks to
 * one version for as long as the weights stay; a request without a key is drawn at random.
 *
 * ```ts
 * chooseVersion([{ version: 1, weight: 90 }, { version: 2, weight: 10 }], 'user-42'); // always the same
 * ```
 */
import { ServeError } from './types.js';

export interface WeightedVersion {
  version: number;
  weight: number;
}

/** FNV-1a over the UTF-16 code units, then murmur3's finalizer so that near keys spread: a number in [0, 1). */
export function hashUnit(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * Picks a version of the split: by the hash of `key` when given (sticky), else by
 * `random()`. Versions with weight 0 are never picked.
 */
export function chooseVersion(split: readonly WeightedVersion[], key?: string | null, random: () => number = Math.random): number {
  let total = 0;
  for (const s of split) total += s.weight;
  if (!(total > 0)) throw new ServeError(500, 'A/B split: the weights add up to 0');
  const u = (key !== undefined && key !== null && key !== '' ? hashUnit(key) : random()) * total;
  let cumulative = 0;
  for (const s of split) {
    cumulative += s.weight;
    if (u < cumulative && s.weight > 0) return s.version;
  }
  for (let i = split.length - 1; i >= 0; i--) if (split[i].weight > 0) return split[i].version;
  return split[split.length - 1].version;
}

/**
 * Reads a split: `{"1": 90, "2": 10}` or `[{version: 1, weight: 90}, ...]` (JSON), or the
 * flag text `1:90,2:10`. Versions may be labels (`stable:90,canary:10`); they are
 * resolved when a request comes.
 */
export function parseSplit(value: unknown): { target: string; weight: number }[] {
  let entries: [string, unknown][];
  if (typeof value === 'string') {
    entries = value.split(',').map((part) => {
      const m = /^\s*([^:\s]+)\s*[:=]\s*([^\s]+)\s*$/.exec(part);
      if (!m) throw new ServeError(400, `A/B split: expected 'version:weight,...' (e.g. 1:90,2:10), got '${value}'`);
      return [m[1], Number(m[2])];
    });
  } else if (Array.isArray(value)) {
    entries = value.map((e) => {
      const item = e as { version?: unknown; label?: unknown; weight?: unknown };
      return [String(item?.version ?? item?.label), item?.weight];
    });
  } else if (value !== null && typeof value === 'object') {
    entries = Object.entries(value);
  } else {
    throw new ServeError(400, `A/B split: expected an object of version: weight (e.g. {"1": 90, "2": 10}), got ${JSON.stringify(value)}`);
  }
  if (entries.length === 0) throw new ServeError(400, 'A/B split: no versions given');
  const split = entries.map(([target, weight]) => {
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new ServeError(400, `A/B split: the weight of '${target}' must be a number >= 0, got ${JSON.stringify(weight)}`);
    }
    if (!/^\d+$/.test(target) && !/^[A-Za-z_][\w-]*$/.test(target)) throw new ServeError(400, `A/B split: '${target}' is neither a version number nor a label`);
    return { target, weight };
  });
  if (!split.some((s) => s.weight > 0)) throw new ServeError(400, 'A/B split: at least one weight must be > 0');
  return split;
}
