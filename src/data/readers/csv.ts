import { createReadStream } from 'node:fs';
import type * as CsvParse from 'csv-parse';
import type { Options as CsvParseOptions } from 'csv-parse';
import type * as CsvParseSync from 'csv-parse/sync';
import { DTypeError, ValueError } from '../../errors.js';
import { allocArray, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { Dataset } from '../dataset.js';
import { fileError, readBytes, readBytesSync } from './files.js';
import { lazyRequire } from '../../lazy-require.js';

/** csv-parse, loaded at the first CSV. */
const csvParse = lazyRequire<typeof CsvParse>('csv-parse');
const csvParseSync = lazyRequire<typeof CsvParseSync>('csv-parse/sync');

/**
 * CSV with a header row, parsed by csv-parse (quoted fields, embedded delimiters and
 * newlines, a byte-order mark). Each column is numeric when every non-missing cell is a
 * number, categorical otherwise; missing cells are NaN in numeric columns and null in
 * categorical ones.
 */

export interface CsvOptions {
  /** Field separator; default ','. */
  delimiter?: string;
  /** Column names for a file without a header row; default: the first row is the header. */
  header?: string[];
  /** Cells that mean "missing"; default '', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?'. */
  missing?: readonly string[];
  /** Columns to read as categorical even if they look numeric (e.g. zip codes). */
  categorical?: readonly string[];
}

export const DEFAULT_MISSING: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?'];

export type ColumnKind = 'numeric' | 'categorical';

/**
 * A table read from CSV: named columns of one kind each.
 *
 * ```ts
 * const table = await sd.data.readCsv('houses.csv');
 * table.kind('city');            // 'categorical'
 * const x = table.toTensor(['rooms', 'area']); // float32 [rows, 2], NaN where missing
 * const cities = table.categorical('city');    // (string | null)[]
 * ```
 */
export class CsvTable {
  readonly columns: readonly string[];
  /** Number of data rows. */
  readonly length: number;
  private readonly data: Map<string, Float64Array | (string | null)[]>;

  constructor(columns: readonly string[], data: Map<string, Float64Array | (string | null)[]>, length: number) {
    this.columns = columns;
    this.data = data;
    this.length = length;
  }

  kind(name: string): ColumnKind {
    return this.column(name) instanceof Float64Array ? 'numeric' : 'categorical';
  }

  /** The names of the numeric (or categorical) columns, in file order. */
  columnsOf(kind: ColumnKind): string[] {
    return this.columns.filter((c) => this.kind(c) === kind);
  }

  column(name: string): Float64Array | (string | null)[] {
    const col = this.data.get(name);
    if (col === undefined) {
      throw new ValueError(`CsvTable: no column '${name}' (columns: ${this.columns.join(', ')})`);
    }
    return col;
  }

  /** A numeric column, NaN where missing. */
  numeric(name: string): Float64Array {
    const col = this.column(name);
    if (!(col instanceof Float64Array)) {
      throw new DTypeError(`CsvTable: column '${name}' is categorical, not numeric`);
    }
    return col;
  }

  /** A categorical column, null where missing (numeric columns are given as their text). */
  categorical(name: string): (string | null)[] {
    const col = this.column(name);
    return col instanceof Float64Array ? Array.from(col, (v) => (Number.isNaN(v) ? null : String(v))) : col;
  }

  /**
   * Numeric columns side by side as a [rows, columns] tensor (default: all numeric
   * columns), NaN where missing. Categorical columns must be encoded first.
   */
  toTensor(names: readonly string[] = this.columnsOf('numeric'), dtype: DType = 'float32'): Tensor {
    const cols = names.map((name) => {
      const col = this.column(name);
      if (!(col instanceof Float64Array)) {
        throw new DTypeError(
          `CsvTable.toTensor: column '${name}' is categorical; encode it first (sd.data.LabelEncoder or OneHotEncoder)`,
        );
      }
      return col;
    });
    const k = cols.length;
    const out = allocArray(dtype, this.length * k);
    cols.forEach((col, j) => {
      for (let i = 0; i < this.length; i++) out[i * k + j] = col[i];
    });
    return new Tensor(out, [this.length, k], dtype);
  }

  /** The rows as records, numbers for numeric cells and strings for categorical ones. */
  rows(): Record<string, number | string | null>[] {
    return Array.from({ length: this.length }, (_, i) => {
      const row: Record<string, number | string | null> = {};
      for (const c of this.columns) row[c] = this.column(c)[i];
      return row;
    });
  }
}

function parserOptions(options: CsvOptions): CsvParseOptions {
  return { delimiter: options.delimiter ?? ',', bom: true, trim: true, skip_empty_lines: true };
}

/** Builds a table from parsed records (header first, unless options.header gives it). */
function buildTable(records: string[][], options: CsvOptions, source: string): CsvTable {
  const header = options.header ?? records.shift();
  if (header === undefined) throw new ValueError(`readCsv: ${source} is empty (no header row)`);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new ValueError(`readCsv: ${source} has two columns named '${name}'`);
    seen.add(name);
  }
  const missing = new Set(options.missing ?? DEFAULT_MISSING);
  const forced = new Set(options.categorical ?? []);
  for (const name of forced) {
    if (!seen.has(name)) throw new ValueError(`readCsv: categorical column '${name}' is not in ${source} (columns: ${header.join(', ')})`);
  }
  const data = new Map<string, Float64Array | (string | null)[]>();
  header.forEach((name, j) => {
    const cells = records.map((r) => r[j]);
    const numeric = !forced.has(name) && cells.every((c) => missing.has(c) || isNumber(c));
    data.set(
      name,
      numeric
        ? Float64Array.from(cells, (c) => (missing.has(c) ? NaN : cellValue(c)))
        : cells.map((c) => (missing.has(c) ? null : c)),
    );
  });
  return new CsvTable(header, data, records.length);
}

function isNumber(cell: string): boolean {
  return cell.length > 0 && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Infinity|inf)$/i.test(cell) && !Number.isNaN(cellValue(cell));
}

function cellValue(cell: string): number {
  return /^[+-]?inf$/i.test(cell) ? (cell.startsWith('-') ? -Infinity : Infinity) : Number(cell);
}

function parseRecords(input: string | Uint8Array, options: CsvOptions, source: string): string[][] {
  try {
    return csvParseSync().parse(typeof input === 'string' ? input : Buffer.from(input), parserOptions(options)) as string[][];
  } catch (e) {
    throw new ValueError(`readCsv: ${source} is not valid CSV: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Parses CSV text with a header row into a CsvTable.
 *
 * ```ts
 * const t = sd.data.parseCsv('a,b\n1,x\n,y\n');
 * t.numeric('a'); // Float64Array [1, NaN]
 * ```
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  return buildTable(parseRecords(text, options, 'the text'), options, 'the text');
}

/** Reads a CSV file with a header row into a CsvTable (see `parseCsv`). */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  const source = `'${path}'`;
  return buildTable(parseRecords(await readBytes('readCsv', path), options, source), options, source);
}

/** The synchronous form of `readCsv`. */
export function readCsvSync(path: string, options: CsvOptions = {}): CsvTable {
  const source = `'${path}'`;
  return buildTable(parseRecords(readBytesSync('readCsv', path), options, source), options, source);
}

/**
 * Streams the rows of a CSV file as records, without reading the file into memory: a
 * Dataset to iterate with `for await`. Numeric-looking cells become numbers, missing
 * cells null, others strings (columns in `options.categorical` stay strings).
 *
 * ```ts
 * const rows = sd.data.csvDataset('big.csv').map((r) => [r.x1, r.x2]).batch(256);
 * for await (const batch of rows) { ... }
 * ```
 */
export function csvDataset(path: string, options: CsvOptions = {}): Dataset<Record<string, number | string | null>> {
  const missing = new Set(options.missing ?? DEFAULT_MISSING);
  const forced = new Set(options.categorical ?? []);
  return new Dataset(async function* () {
    const stream = createReadStream(path);
    const parser = stream.pipe(csvParse().parse(parserOptions(options)));
    // a read error (no such file) is raised on the file stream, not the parser
    const failed = new Promise<never>((_, reject) => stream.on('error', (e) => reject(fileError('csvDataset', path, e))));
    failed.catch(() => undefined);
    let header = options.header;
    const it = parser[Symbol.asyncIterator]();
    try {
      for (;;) {
        const r = (await Promise.race([it.next(), failed])) as IteratorResult<string[]>;
        if (r.done) break;
        if (header === undefined) {
          header = r.value;
          continue;
        }
        const row: Record<string, number | string | null> = {};
        header.forEach((name, j) => {
          const c = r.value[j];
          row[name] = missing.has(c) ? null : !forced.has(name) && isNumber(c) ? cellValue(c) : c;
        });
        yield row;
      }
    } catch (e) {
      if (e instanceof ValueError) throw e;
      throw new ValueError(`csvDataset: '${path}' is not valid CSV: ${(e as Error).message}`, { cause: e });
    } finally {
      stream.destroy();
    }
  });
}
