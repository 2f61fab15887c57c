/**
 * GFLOP/s of the js backend's GEMM at a few square sizes and transposes, float32 and
 * float64: `npx tsx bench/js-gemm.ts [sizes...]`. A measurement, not a test.
 */
import { gemm } from '../src/backend/js/gemm.js';

const sizes = process.argv.slice(2).map(Number);
for (const n of sizes.length ? sizes : [128, 512, 1024]) {
  for (const Arr of [Float32Array, Float64Array]) {
    const a = new Arr(n * n).map(() => Math.random() - 0.5);
    const b = new Arr(n * n).map(() => Math.random() - 0.5);
    const c = new Arr(n * n);
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      gemm(ta, tb, n, n, n, a, 0, b, 0, c, 0); // warm up the JIT
      let reps = 0;
      const start = process.hrtime.bigint();
      let elapsed = 0;
      do {
        gemm(ta, tb, n, n, n, a, 0, b, 0, c, 0);
        reps++;
        elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      } while (elapsed < 1);
      const gflops = (2 * n * n * n * reps) / elapsed / 1e9;
      const kind = Arr === Float32Array ? 'f32' : 'f64';
      console.log(`n=${n} ${kind} ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}: ${gflops.toFixed(2)} GFLOP/s`);
    }
  }
}
