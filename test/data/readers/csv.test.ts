import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sd from '../../../src/index.js';
import { assertThrows } from '../../helpers.js';

let dir = '';
before(() => (dir = mkdtempSync(join(tmpdir(), 'shendu-csv-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const HOUSES = [
  'rooms,area,city,zip,note',
  '3,72.5,Paris,75001,"quiet, sunny"',
  '2,,Lyon,69002,"says ""hi"""',
  'NA,50,,75002,',
  '4,101.25,Paris,75003,"two',
  'lines"',
].join('\n');

describe('data.readCsv', () => {
  it('types columns as numeric or categorical, with missing cells as NaN or null and quoted fields', async () => {
    const path = join(dir, 'houses.csv');
    writeFileSync(path, '\ufeff' + HOUSES + '\n');
    for (const table of [await sd.data.readCsv(path), sd.data.readCsvSync(path), sd.data.parseCsv(HOUSES)]) {
      assert.deepEqual(table.columns, ['rooms', 'area', 'city', 'zip', 'note']);
      assert.equal(table.length, 4);
      assert.deepEqual(table.columnsOf('numeric'), ['rooms', 'area', 'zip']);
      assert.deepEqual(Array.from(table.numeric('rooms')), [3, 2, NaN, 4]);
      assert.deepEqual(Array.from(table.numeric('area')), [72.5, NaN, 50, 101.25]);
      assert.deepEqual(table.categorical('city'), ['Paris', 'Lyon', null, 'Paris']);
      assert.deepEqual(table.categorical('note'), ['quiet, sunny', 'says "hi"', null, 'two\nlines']);
      const x = table.toTensor(['rooms', 'area']);
      assert.deepEqual([...x.shape], [4, 2]);
      assert.equal(x.dtype, 'float32');
      assert.deepEqual(Array.from(x.values), [3, 72.5, 2, NaN, NaN, 50, 4, 101.25]);
    }
  });

  it('keeps forced categorical columns as text, takes a header, a delimiter and missing markers', () => {
    const t = sd.data.parseCsv('1;x\n?;y\n3;-\n', { header: ['id', 'tag'], delimiter: ';', categorical: ['id'], missing: ['?', '-'] });
    assert.equal(t.kind('id'), 'categorical');
    assert.deepEqual(t.categorical('id'), ['1', null, '3']);
    assert.deepEqual(t.categorical('tag'), ['x', 'y', null]);
    assert.deepEqual(t.rows()[0], { id: '1', tag: 'x' });
  });

  it('reads numbers with signs, exponents and infinities', () => {
    const t = sd.data.parseCsv('v\n-1.5e3\n+2\n.5\ninf\n-Infinity\n');
    assert.deepEqual(Array.from(t.numeric('v')), [-1500, 2, 0.5, Infinity, -Infinity]);
  });

  it('streams rows with csvDataset', async () => {
    const path = join(dir, 'stream.csv');
    writeFileSync(path, HOUSES + '\n');
    const rows = await sd.data.csvDataset(path).toArray();
    assert.equal(rows.length, 4);
    assert.deepEqual(rows[0], { rooms: 3, area: 72.5, city: 'Paris', zip: 75001, note: 'quiet, sunny' });
    assert.equal(rows[2].rooms, null);
    const batches = await sd.data.csvDataset(path).map((r) => r.zip as number).batch(3).toArray();
    assert.deepEqual(Array.from(batches[0].values), [75001, 69002, 75002]);
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'a,b\n1,2\n3\n');
    await assert.rejects(sd.data.csvDataset(ragged).toArray(), (e: Error) => e instanceof sd.ValueError && /csvDataset: '.*ragged\.csv' is not valid CSV/.test(e.message));
    await assert.rejects(sd.data.csvDataset(join(dir, 'none.csv')).toArray(), (e: Error) => e instanceof sd.ValueError && /csvDataset: no such file/.test(e.message));
  });

  it('rejects a missing file, ragged rows, duplicate and unknown columns, categorical toTensor', async () => {
    await assert.rejects(sd.data.readCsv(join(dir, 'missing.csv')), (e: Error) => e instanceof sd.ValueError && /readCsv: no such file '.*missing\.csv'/.test(e.message));
    assertThrows(() => sd.data.parseCsv('a,b\n1,2\n3\n'), sd.ValueError, /readCsv: the text is not valid CSV: .*(Invalid Record Length|record length)/i);
    assertThrows(() => sd.data.parseCsv('a,a\n1,2\n'), sd.ValueError, /two columns named 'a'/);
    assertThrows(() => sd.data.parseCsv(''), sd.ValueError, /is empty \(no header row\)/);
    const t = sd.data.parseCsv(HOUSES);
    assertThrows(() => t.toTensor(['rooms', 'city']), sd.DTypeError, /column 'city' is categorical; encode it first/);
    assertThrows(() => t.column('price'), sd.ValueError, /no column 'price' \(columns: rooms, area, city, zip, note\)/);
    assertThrows(() => sd.data.parseCsv('a\n1\n', { categorical: ['b'] }), sd.ValueError, /categorical column 'b' is not in the text/);
  });
});
