/** A/B splits (src/serve/router.ts) and the metrics' quantiles (src/serve/metrics.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseVersion, hashUnit, parseSplit } from '../../src/serve/router.js';
import { Histogram, Counter } from '../../src/serve/metrics.js';
import { ServeError } from '../../src/serve/types.js';
import { assertThrows } from '../helpers.js';

/** A seeded uniform generator (mulberry32), so the draws are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shares(pick: (i: number) => number, n: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = pick(i);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return new Map([...counts].map(([v, c]) => [v, c / n]));
}

describe('serve: A/B split', () => {
  const split = [
    { version: 1, weight: 90 },
    { version: 2, weight: 10 },
  ];

  it('splits 10,000 random requests within 2 percentage points of 90/10', () => {
    const random = seeded(7);
    const s = shares(() => chooseVersion(split, null, random), 10_000);
    assert.ok(Math.abs((s.get(1) ?? 0) - 0.9) < 0.02, `version 1 got ${s.get(1)}`);
    assert.ok(Math.abs((s.get(2) ?? 0) - 0.1) < 0.02, `version 2 got ${s.get(2)}`);
  });

  it('splits 10,000 client keys within 2 percentage points, with three versions', () => {
    const three = [
      { version: 1, weight: 50 },
      { version: 2, weight: 30 },
      { version: 3, weight: 20 },
    ];
    const s = shares((i) => chooseVersion(three, `user-${i}`), 10_000);
    assert.ok(Math.abs((s.get(1) ?? 0) - 0.5) < 0.02, `version 1 got ${s.get(1)}`);
    assert.ok(Math.abs((s.get(2) ?? 0) - 0.3) < 0.02, `version 2 got ${s.get(2)}`);
    assert.ok(Math.abs((s.get(3) ?? 0) - 0.2) < 0.02, `version 3 got ${s.get(3)}`);
  });

  it('sends a client key to the same version every time', () => {
    for (let i = 0; i < 500; i++) {
      const key = `client-${i * 7919}`;
      const first = chooseVersion(split, key);
      for (let k = 0; k < 5; k++) assert.equal(chooseVersion(split, key, () => Math.random()), first);
    }
  });

  it('hashes keys uniformly into [0, 1)', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const u = hashUnit(String(i));
      assert.ok(u >= 0 && u < 1);
      buckets[Math.floor(u * 10)]++;
    }
    for (const b of buckets) assert.ok(Math.abs(b - 1000) < 120, `bucket count ${b}`);
  });

  it('never picks a version of weight 0', () => {
    const random = seeded(3);
    for (let i = 0; i < 1000; i++) assert.equal(chooseVersion([{ version: 1, weight: 0 }, { version: 2, weight: 5 }], null, random), 2);
  });

  it('reads splits from flags and JSON, and refuses bad ones', () => {
    assert.deepEqual(parseSplit('1:90,2:10'), [{ target: '1', weight: 90 }, { target: '2', weight: 10 }]);
    assert.deepEqual(parseSplit({ stable: 9, canary: 1 }), [{ target: 'stable', weight: 9 }, { target: 'canary', weight: 1 }]);
    assert.deepEqual(parseSplit([{ version: 3, weight: 1 }]), [{ target: '3', weight: 1 }]);
    assertThrows(() => parseSplit('1-90'), ServeError, /expected 'version:weight,...'/);
    assertThrows(() => parseSplit({ 1: -1 }), ServeError, /the weight of '1' must be a number >= 0, got -1/);
    assertThrows(() => parseSplit({ 1: 0 }), ServeError, /at least one weight must be > 0/);
    assertThrows(() => parseSplit(5), ServeError, /expected an object of version: weight/);
  });
});

describe('serve: metrics', () => {
  it('renders counters and histograms in the Prometheus text format', () => {
    const c = new Counter('reqs_total', 'Requests.', ['model', 'code']);
    c.inc(['mnist', '200'], 3);
    c.inc(['a"b', '404']);
    const h = new Histogram('lat_seconds', 'Latency.', ['model'], [0.1, 1]);
    h.observe(['mnist'], 0.05);
    h.observe(['mnist'], 0.5);
    h.observe(['mnist'], 5);
    assert.equal(c.render(), '# HELP reqs_total Requests.\n# TYPE reqs_total counter\nreqs_total{model="mnist",code="200"} 3\nreqs_total{model="a\\"b",code="404"} 1');
    assert.equal(
      h.render(),
      [
        '# HELP lat_seconds Latency.',
        '# TYPE lat_seconds histogram',
        'lat_seconds_bucket{model="mnist",le="0.1"} 1',
        'lat_seconds_bucket{model="mnist",le="1"} 2',
        'lat_seconds_bucket{model="mnist",le="+Inf"} 3',
        'lat_seconds_sum{model="mnist"} 5.55',
        'lat_seconds_count{model="mnist"} 3',
      ].join('\n'),
    );
  });

  it('estimates quantiles within buckets, as histogram_quantile', () => {
    const h = new Histogram('x', '', [], [1, 2, 3, 4]);
    for (let i = 0; i < 100; i++) h.observe([], (i % 4) + 0.5);
    assert.equal(h.quantile([], 0.5), 2);
    assert.ok(Math.abs(h.quantile([], 0.99) - 3.96) < 1e-9);
    assert.ok(Number.isNaN(new Histogram('y', '', [], [1]).quantile([], 0.5)));
  });
});
