/**
 * Gradient clipping, as `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`. Called
 * between `backward()` and `optimizer.step()`. The clipped gradients are new tensors
 * assigned to `.grad` (backward may share one gradient tensor between several leaves, so
 * scaling in place could scale a gradient twice).
 */
import { ValueError } from '../errors.js';
import { allocArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

function withGrads(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: parameter ${i} is not a Tensor`);
  });
  return list.filter((p) => p.grad !== null);
}

function replaceGrad(p: Tensor, f: (g: number) => number): void {
  const g = p.grad!;
  const out = allocArray(g.dtype, g.size);
  const v = g.values;
  for (let i = 0; i < v.length; i++) out[i] = f(v[i]);
  p.grad = new Tensor(out, g.shape, g.dtype);
}

/**
 * Scales the gradients so that their joint `normType`-norm (over all gradients taken as
 * one vector) is at most `maxNorm`, and returns that norm before clipping. Scaling uses
 * maxNorm / (norm + 1e-6) when the norm exceeds maxNorm. `normType` may be Infinity.
 *
 * ```ts
 * loss.backward();
 * const norm = sd.optim.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * ```
 */
export function clipGradNorm_(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  options: { errorIfNonfinite?: boolean } = {},
): number {
  if (!(maxNorm >= 0)) throw new ValueError(`clipGradNorm_: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType > 0)) throw new ValueError(`clipGradNorm_: normType must be > 0 (or Infinity), got ${normType}`);
  const list = withGrads('clipGradNorm_', params);
  if (list.length === 0) return 0;
  let total = 0;
  for (const p of list) {
    for (const x of p.grad!.values) {
      const a = Math.abs(x);
      if (normType === Infinity) total = a > total || Number.isNaN(a) ? a : total;
      else total += normType === 2 ? a * a : normType === 1 ? a : a ** normType;
    }
  }
  if (normType !== Infinity) total = normType === 1 ? total : normType === 2 ? Math.sqrt(total) : total ** (1 / normType);
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new ValueError(
      `clipGradNorm_: the total norm of order ${normType} of the gradients is ${total}; set errorIfNonfinite to false to clip anyway`,
    );
  }
  const coef = maxNorm / (total + 1e-6);
  // like PyTorch, a NaN norm scales every gradient by NaN rather than hiding it
  if (coef < 1 || Number.isNaN(coef)) for (const p of list) replaceGrad(p, (g) => g * coef);
  return total;
}

/**
 * Clamps every gradient element into [−clipValue, clipValue].
 *
 * ```ts
 * sd.optim.clipGradValue_(model.parameters(), 0.5);
 * ```
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new ValueError(`clipGradValue_: clipValue must be >= 0, got ${clipValue}`);
  for (const p of withGrads('clipGradValue_', params)) {
    replaceGrad(p, (g) => (g > clipValue ? clipValue : g < -clipValue ? -clipValue : g));
  }
}
