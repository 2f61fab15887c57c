import { describe, it, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

let dir = '';
before(() => {
  dir = fs.mkdtempSync(join(os.tmpdir(), 'shendu-io-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const bytesOf = (t: sd.Tensor): number[] => [...new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength)];

/** A layer with parameters and buffers (persistent and not), for state dicts with nested names. */
class Block extends sd.nn.Module {
  weight = new sd.nn.Parameter(sd.randn([4, 4]));
  bias = new sd.nn.Parameter(sd.randn([4]));
  declare runningMean: sd.Tensor;
  declare steps: sd.Tensor;
  declare scratch: sd.Tensor;
  constructor() {
    super();
    this.registerBuffer('runningMean', sd.randn([3]));
    this.registerBuffer('steps', sd.tensor(5, undefined, 'int32'));
    this.registerBuffer('scratch', sd.randn([2]), { persistent: false });
  }
  forward(x: sd.Tensor): sd.Tensor {
    return sd.add(sd.matmul(x, sd.transpose(this.weight)), this.bias);
  }
}

class Net extends sd.nn.Module {
  encoder = new Block();
  head = new Block();
  forward(x: sd.Tensor): sd.Tensor {
    return this.head.call(sd.relu(this.encoder.call(x)));
  }
}

describe('safetensors files', () => {
  it('save and load tensors and metadata', () => {
    const path = join(dir, 'tensors.safetensors');
    const tensors = { w: sd.randn([4, 5]), ids: sd.tensor([1, 2, 3], undefined, 'int32'), flag: sd.tensor(false) };
    sd.io.saveSafetensors(path, tensors, { source: 'test' });
    const back = sd.io.loadSafetensors(path);
    assert.deepEqual(back.metadata, { source: 'test' });
    for (const [name, t] of Object.entries(tensors)) assert.deepEqual(bytesOf(back.tensors[name]), bytesOf(t), name);
  });

  it('names the file in errors', () => {
    const path = join(dir, 'broken.safetensors');
    fs.writeFileSync(path, Buffer.from([1, 0, 0]));
    assertThrows(() => sd.io.loadSafetensors(path), sd.FormatError, new RegExp(`^'${path}' is not a valid safetensors file: it has 3 bytes`));
    assert.throws(() => sd.io.loadSafetensors(join(dir, 'missing.safetensors')), /ENOENT/);
  });
});

describe('atomic writes', () => {
  const tempFiles = (): string[] => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('replaces an existing file', () => {
    const path = join(dir, 'replace.safetensors');
    sd.io.saveSafetensors(path, { a: sd.ones([2]) });
    sd.io.saveSafetensors(path, { b: sd.zeros([3]) });
    assert.deepEqual(Object.keys(sd.io.loadSafetensors(path).tensors), ['b']);
    assert.deepEqual(tempFiles(), []);
  });

  it('leaves the old file intact and no temporary file when a write fails midway', () => {
    const path = join(dir, 'atomic.safetensors');
    sd.io.saveSafetensors(path, { old: sd.arange(10) });
    const before = fs.readFileSync(path);
    let calls = 0;
    const original = fs.writeSync;
    const writeSync = mock.method(fs, 'writeSync', (...args: Parameters<typeof fs.writeSync>) => {
      // the header goes out, then the disk fills up in the middle of the data
      if (++calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return (original as (...a: unknown[]) => number)(...args);
    });
    try {
      assert.throws(() => sd.io.saveSafetensors(path, { new: sd.randn([100]), other: sd.randn([10]) }), /ENOSPC/);
    } finally {
      writeSync.mock.restore();
    }
    assert.equal(calls, 2);
    assert.deepEqual(fs.readFileSync(path), before);
    assert.deepEqual([...sd.io.loadSafetensors(path).tensors.old.values], [...sd.arange(10).values]);
    assert.deepEqual(tempFiles(), []);
  });

  it('removes the temporary file when the rename fails', () => {
    const path = join(dir, 'a-directory');
    fs.mkdirSync(path);
    fs.writeFileSync(join(path, 'inside'), 'x');
    assert.throws(() => sd.io.saveSafetensors(path, { a: sd.ones([1]) }), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    assert.deepEqual(tempFiles(), []);
  });

  it('fails cleanly when the directory does not exist', () => {
    assert.throws(() => sd.io.saveSafetensors(join(dir, 'no', 'such', 'dir.safetensors'), {}), /ENOENT/);
  });
});

describe('state dicts', () => {
  it('round trip into a fresh module: parameters and persistent buffers, bit for bit', () => {
    const path = join(dir, 'net.safetensors');
    const net = new Net();
    sd.io.saveStateDict(path, net.stateDict());
    const state = sd.io.loadStateDict(path);
    assert.deepEqual(Object.keys(state).sort(), Object.keys(net.stateDict()).sort());
    assert.ok(!('encoder.scratch' in state));
    assert.equal(state['encoder.steps'].dtype, 'int32');

    const fresh = new Net();
    fresh.loadStateDict(state);
    for (const [name, t] of Object.entries(net.stateDict())) assert.deepEqual(bytesOf(fresh.stateDict()[name]), bytesOf(t), name);
    const x = sd.randn([2, 4]);
    assert.deepEqual(bytesOf(fresh.call(x)), bytesOf(net.call(x)));
    // loading writes in place: the parameters an optimizer holds stay the same objects
    assert.ok(fresh.encoder.weight instanceof sd.nn.Parameter);
  });

  it('saves a module given directly', () => {
    const path = join(dir, 'module.safetensors');
    const block = new Block();
    sd.io.saveStateDict(path, block);
    assert.deepEqual(Object.keys(sd.io.loadStateDict(path)).sort(), ['bias', 'runningMean', 'steps', 'weight']);
  });

  it('a state dict that does not fit is rejected by loadStateDict, copying nothing', () => {
    const path = join(dir, 'block.safetensors');
    sd.io.saveStateDict(path, new Block().stateDict());
    const net = new Net();
    const before = bytesOf(net.encoder.weight);
    assertThrows(() => net.loadStateDict(sd.io.loadStateDict(path)), sd.ValueError, /missing keys: 'encoder.weight'/);
    assert.deepEqual(bytesOf(net.encoder.weight), before);
  });

  it('loads a file written by another tool as a state dict', () => {
    const file = fileURLToPath(new URL('../fixtures/safetensors/python.safetensors', import.meta.url));
    const state = sd.io.loadStateDict(file);
    assert.deepEqual([...state['float32.weight'].shape], [3, 4]);
    assert.equal(state['float16.special'].dtype, 'float32');
    assert.equal(state['int64.labels'].dtype, 'int32');
  });
});

describe('files written by Shendu read in Python (json + numpy)', () => {
  const python = '/usr/bin/python3';
  const generator = fileURLToPath(new URL('../fixtures/gen_safetensors.py', import.meta.url));
  const hasPython = fs.existsSync(python) && spawnSync(python, ['-c', 'import numpy, torch'], { stdio: 'ignore' }).status === 0;

  it('every dtype, scalar, zero-size tensor and metadata', { skip: hasPython ? false : 'needs /usr/bin/python3 with numpy and torch' }, () => {
    const path = join(dir, 'for-python.safetensors');
    const tensors = {
      'f32.special': sd.tensor([0, -1.5, NaN, Infinity, -Infinity], undefined, 'float32'),
      'f64.values': sd.tensor([[Math.PI, -0.1]], undefined, 'float64'),
      'i32.values': sd.tensor([2147483647, -2147483648, 0], undefined, 'int32'),
      'bool.mask': sd.tensor([true, false, true]),
      scalar: sd.tensor(7.25),
      empty: sd.zeros([0, 2]),
    };
    const metadata = { architecture: '{"layers":[1,2]}', note: '深度' };
    sd.io.saveSafetensors(path, tensors, metadata);
    const run = spawnSync(python, [generator, 'read', path], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const read = JSON.parse(run.stdout) as { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; data: unknown[] }> };
    assert.deepEqual(read.metadata, metadata);
    const code = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
    for (const [name, t] of Object.entries(tensors)) {
      const got = read.tensors[name];
      assert.equal(got.dtype, code[t.dtype], name);
      assert.deepEqual(got.shape, [...t.shape], name);
      const want = [...t.values].map((v) => (t.dtype === 'bool' ? v === 1 : Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v));
      assert.deepEqual(got.data, want, name);
    }
  });
});
