/**
 * `model.summary()`: the Keras table of layers, output shapes and parameter counts.
 * A plain chain of layers prints three columns in 65 characters:
 * ```text
 * Model: "sequential"
 * _________________________________________________________________
 *  Layer (type)                Output Shape              Param #
 * =================================================================
 *  flatten (Flatten)           (None, 784)               0
 *  dense (Dense)               (None, 128)               100480
 * =================================================================
 * Total params: 100,480
 * Trainable params: 100,480
 * Non-trainable params: 0
 * _________________________________________________________________
 * ```
 * A graph with branches or merges adds "Connected to" (98 characters), listing each
 * input as `layer[node][tensor]`. Lines carry no trailing spaces.
 */

export interface SummaryRow {
  name: string;
  className: string;
  /** `(None, 128)`, `[(None, 784)]` for inputs, or `multiple`. */
  outputShape: string;
  params: number;
  /** Inputs as `dense[0][0]` (graph summaries only). */
  connections: string[];
}

export interface SummaryModel {
  name: string;
  rows: SummaryRow[];
  /** Three columns without connections, as Keras prints chains. */
  sequentialLike: boolean;
  trainableParams: number;
  nonTrainableParams: number;
}

export interface SummaryOptions {
  /** Total width; default 65 for chains, 98 for graphs. */
  lineLength?: number;
  /** Where each column ends: fractions of lineLength (≤ 1) or absolute positions. */
  positions?: number[];
  /** Receives each line; default console.log. */
  printFn?: (line: string) => void;
}

/** One table row, wrapped over several lines where a field is too long (Keras' print_row). */
function formatRow(fields: string[], positions: number[]): string[] {
  const left = [...fields];
  const lines: string[] = [];
  while (left.some((f) => f.length > 0)) {
    let line = '';
    for (let col = 0; col < left.length; col++) {
      const start = col > 0 ? positions[col - 1] : 0;
      const space = col !== positions.length - 1 ? 2 : 0;
      let cutoff = positions[col] - start - space;
      let fit = left[col].slice(0, cutoff);
      // break after the end of a tuple or list item, as Keras does
      const breaks = ['),', '},', '],', "',"].map((c) => fit.indexOf(c)).filter((i) => i >= 0).map((i) => i + 2);
      if (breaks.length > 0) {
        cutoff = Math.min(...breaks);
        fit = fit.slice(0, cutoff);
      }
      if (col === 0) line += ' ';
      line += fit + ' '.repeat(space);
      left[col] = left[col].slice(cutoff);
      line += ' '.repeat(Math.max(0, positions[col] - line.length));
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** The summary's lines. */
export function summaryLines(model: SummaryModel, options: SummaryOptions = {}): string[] {
  const seq = model.sequentialLike;
  const lineLength = options.lineLength ?? (seq ? 65 : 98);
  let positions = options.positions ?? (seq ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1]);
  if (positions[positions.length - 1] <= 1) positions = positions.map((p) => Math.floor(lineLength * p));
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'].slice(0, positions.length);
  const lines = [`Model: "${model.name}"`, '_'.repeat(lineLength), ...formatRow(header, positions), '='.repeat(lineLength)];
  for (const row of model.rows) {
    const fields = [`${row.name} (${row.className})`, row.outputShape, String(row.params)];
    if (!seq) fields.push(`[${row.connections.map((c) => `'${c}'`).join(', ')}]`);
    lines.push(...formatRow(fields.slice(0, positions.length), positions));
  }
  const total = model.trainableParams + model.nonTrainableParams;
  const n = (v: number): string => v.toLocaleString('en-US');
  lines.push(
    '='.repeat(lineLength),
    `Total params: ${n(total)}`,
    `Trainable params: ${n(model.trainableParams)}`,
    `Non-trainable params: ${n(model.nonTrainableParams)}`,
    '_'.repeat(lineLength),
  );
  return lines;
}
