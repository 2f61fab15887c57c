/**
 * GFLOP/s of the js backend's GEMM at a few square sizes and transposes, float32 and
 * float64: `npx tsx bench/js-gemm.ts [sizes...]`. A measurement, not a test.
 *
 * The GEMM is single-threaded, so the rate is given per second of this process's CPU
 * time as well as per wall-clock second: on a shared, busy machine the wall clock also
 * counts the time other processes held the core, which reads like a slowdown of the
 * kernel (and hit the largest size hardest, being timed over fewest repetitions).
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
      const wallStart = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      let cpu = 0;
      do {
        gemm(ta, tb, n, n, n, a, 0, b, 0, c, 0);
        reps++;
        const used = process.cpuUsage(cpuStart);
        cpu = (used.user + used.system) / 1e6;
      } while (cpu < 1);
      const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
      const flops = 2 * n * n * n * reps;
      const kind = Arr === Float32Array ? 'f32' : 'f64';
      console.log(
        `n=${n} ${kind} ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}: ${(flops / cpu / 1e9).toFixed(2)} GFLOP/s of CPU time` +
          ` (${(flops / wall / 1e9).toFixed(2)} by the wall clock)`,
      );
    }
  }
}
