/** Runs the cases of test/fixtures/losses.json (written by gen_losses.py) by name. */
import * as sd from '../../src/index.js';
import { checkFixture, loadFixtures, type Tolerance } from '../helpers.js';

const fixtures = loadFixtures('losses');

type LossFn = (a: sd.Tensor, b: sd.Tensor, options?: object) => sd.Tensor;

/** Names of the fixture cases starting with `prefix`. */
export function casesStartingWith(prefix: string): string[] {
  return [...fixtures.keys()].filter((n) => n.startsWith(prefix));
}

/**
 * Checks one case: the function named in its args (`fn` of sd.losses, or `keras` of
 * sd.losses.keras) with its options, forward and gradients against PyTorch.
 */
export function checkLossFixture(name: string, tol: Tolerance = {}): void {
  const c = fixtures.get(name);
  if (!c) throw new Error(`no fixture named '${name}'; run /usr/bin/python3 test/fixtures/gen_losses.py`);
  const args = c.args as { fn?: string; keras?: string; options: object };
  const table = (args.keras ? sd.losses.keras : sd.losses) as unknown as Record<string, LossFn>;
  const fn = table[args.keras ?? args.fn!];
  if (typeof fn !== 'function') throw new Error(`fixture '${name}' names unknown function ${args.keras ?? args.fn}`);
  checkFixture(fixtures, name, (a, b) => fn(a, b, args.options), tol);
}

export { fixtures };
