// Tests of src/backend/backend.ts: the kernel registry, backends as kernel tables.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { KERNEL_NAMES } from '../../src/backend/kernels.js';
import { findBackend, type KernelTable } from '../../src/backend/backend.js';
import { assertClose, assertThrows } from '../helpers.js';

it('the js backend implements every kernel named in kernels.ts, each name once', () => {
  const js = findBackend('js')!;
  assert.equal(new Set(KERNEL_NAMES).size, KERNEL_NAMES.length, 'a kernel name is listed twice');
  const missing = KERNEL_NAMES.filter((name) => typeof js.kernels[name] !== 'function');
  assert.deepEqual(missing, []);
  const unknown = Object.keys(js.kernels).filter((name) => !(KERNEL_NAMES as readonly string[]).includes(name));
  assert.deepEqual(unknown, [], 'the js table holds kernels that kernels.ts does not name');
  assert.ok(sd.listBackends().includes('js'));
});

it('a new backend is a kernel table: registered, chosen, and a missing kernel is named', () => {
  const js = findBackend('js')!;
  // a backend that borrows two kernels of js, registered below js so it is never the default
  const kernels: KernelTable = { Add: js.kernels.Add, Sum: js.kernels.Sum };
  sd.registerBackend({ name: 'toy', kernels, dtypes: ['float32'], features: () => ['test'] }, -1);
  assert.deepEqual(sd.listBackends().slice(-1), ['toy']);
  assert.notEqual(sd.getBackend(), 'toy');
  const previous = sd.getBackend();
  sd.setBackend('toy');
  try {
    assertClose(sd.sum(sd.add(sd.tensor([1, 2]), sd.tensor([3, 4]))), 10);
    assertThrows(() => sd.mul(sd.tensor([1, 2]), 2), sd.KernelNotImplementedError, /^kernel 'Mul' is not implemented on backend 'toy'$/);
    // arguments are checked at op entry, before any kernel is looked up
    assertThrows(() => sd.mul(sd.zeros([2]), sd.zeros([3])), sd.ShapeError, /^mul: shapes \[2\] and \[3\] cannot be broadcast/);
  } finally {
    sd.setBackend(previous);
  }
  assert.equal(sd.getBackend(), previous);
  assert.throws(() => sd.setBackend('webgpu'), /^Error: setBackend: no backend named 'webgpu' \(present: .*js.*toy\)/);
});
