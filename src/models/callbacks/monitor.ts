import { ValueError } from '../../errors.js';
import type { Optimizer } from '../../optim/optimizer.js';
import type { LayersModel } from '../model.js';

/** 'min' when lower is better, 'max' when higher is; 'auto' decides from the name, as Keras. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Whether a value of `monitor` improves by going up: accuracies, AUC, precision, recall, F1. */
export function resolveMode(op: string, monitor: string, mode: MonitorMode = 'auto'): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new ValueError(`${op}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall|f1/i.test(monitor) ? 'max' : 'min';
}

/** Whether `current` beats `reference` by more than `minDelta` in `mode`. */
export function improves(mode: 'min' | 'max', current: number, reference: number, minDelta: number): boolean {
  return mode === 'max' ? current - minDelta > reference : current + minDelta < reference;
}

/** The compiled optimizer of the model a callback runs in. */
export function optimizerOf(op: string, model: LayersModel | null): Optimizer {
  const opt = model?.optimizer;
  if (!opt) throw new ValueError(`${op}: the model has no optimizer (compile it before fit)`);
  return opt;
}

/** The learning rate of the first param group. */
export function getLr(opt: Optimizer): number {
  return (opt.paramGroups[0] as { lr: number }).lr;
}

/** Sets the learning rate of every param group. */
export function setLr(opt: Optimizer, lr: number): void {
  for (const g of opt.paramGroups) (g as { lr: number }).lr = lr;
}

export function checkNumber(op: string, name: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) throw new ValueError(`${op}: ${name} must be a number >= ${min}, got ${String(value)}`);
  return value;
}
