/**
 * A run in progress: the handle `sd.track.startRun()` returns. It logs into its store and
 * keeps a heartbeat while it is RUNNING. A run not ended by `end()` is ended when the
 * process exits: FINISHED on exit code 0, FAILED otherwise; a process killed outright
 * leaves it RUNNING until the next store open marks it FAILED (its data stays).
 *
 * ```ts
 * const run = sd.track.startRun({ experiment: 'mnist', runName: 'mlp-adam' });
 * run.logParams({ lr: 1e-3, batchSize: 64 });
 * for (let epoch = 0; epoch < 10; epoch++) run.logMetrics({ loss, accuracy }, epoch);
 * run.end();
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { ValueError } from '../errors.js';
import { histogram } from './histogram.js';
import { encodePng, type RawImage } from './png.js';
import type { TrackingStore } from './store.js';
import type { ArtifactInfo, ConfusionMatrixData, ImagesData, RunInfo, RunStatus } from './types.js';

/** How often a RUNNING run writes its heartbeat, by default. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/** A model the run can save as an artifact: anything with `save(path)`. */
export interface SavableModel {
  save(path: string): unknown;
}

/** A sample image with what it is and what the model said (labels as text or class index). */
export interface LabeledImage {
  /** Raw pixels, or the bytes of a PNG file. */
  image: RawImage | Uint8Array;
  label?: string | number;
  prediction?: string | number;
  caption?: string;
}

const activeRuns = new Set<Run>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', (code) => {
    for (const run of [...activeRuns]) {
      try {
        run.end(code === 0 ? 'FINISHED' : 'FAILED');
      } catch {
        // the store may be closed already; the next open marks the run
      }
    }
  });
}

export class Run {
  private readonly steps = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastBeat = Date.now();
  private status: RunStatus = 'RUNNING';

  constructor(
    readonly store: TrackingStore,
    readonly id: string,
    private readonly heartbeatMs: number = HEARTBEAT_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => this.beat(true), heartbeatMs);
    this.timer.unref();
    activeRuns.add(this);
    installExitHook();
  }

  /** The run as stored now: status, tags, params, last metrics. */
  get info(): RunInfo {
    return this.store.getRun(this.id);
  }

  get ended(): boolean {
    return this.status !== 'RUNNING';
  }

  /** The folder holding this run's artifacts. */
  get artifactDir(): string {
    return this.store.runArtifactDir(this.id);
  }

  logParam(key: string, value: unknown): void {
    this.logParams({ [key]: value });
  }

  /** Logs params (immutable: a key logged again with another value throws a ValueError). */
  logParams(params: Record<string, unknown>): void {
    this.store.logParams(this.id, params);
  }

  /**
   * Appends a metric point. Without `step`, the step is one more than the last step this
   * run logged for `key` (0 for the first).
   */
  logMetric(key: string, value: number, step?: number): void {
    this.store.logMetrics(this.id, [{ key, value, step: this.nextStep(key, step), timestamp: Date.now() }]);
    this.beat(false);
  }

  /** Appends several metrics at one step, in one transaction. */
  logMetrics(metrics: Record<string, number>, step?: number): void {
    const timestamp = Date.now();
    this.store.logMetrics(
      this.id,
      Object.entries(metrics).map(([key, value]) => ({ key, value, step: this.nextStep(key, step), timestamp })),
    );
    this.beat(false);
  }

  setTag(key: string, value: string): void {
    this.store.setTag(this.id, key, value);
  }

  setTags(tags: Record<string, string>): void {
    for (const [key, value] of Object.entries(tags)) this.setTag(key, value);
  }

  /**
   * Stores an artifact: a file or folder copied in (as `name`, default its base name), or
   * `{ name, data }` written (a string, bytes, or any other value as JSON).
   */
  logArtifact(source: string | { name: string; data: unknown; kind?: string }, name?: string): ArtifactInfo[] {
    if (typeof source === 'string') return this.store.copyArtifact(this.id, source, name ?? path.basename(source));
    const { data } = source;
    if (typeof data === 'string' || data instanceof Uint8Array) return [this.store.writeArtifact(this.id, source.name, data, source.kind ?? 'file')];
    return [this.store.writeArtifact(this.id, source.name, JSON.stringify(data, null, 2), source.kind ?? 'json')];
  }

  /** Stores text (a model summary, a report) as an artifact. */
  logText(name: string, text: string): ArtifactInfo {
    return this.store.writeArtifact(this.id, name, text, 'text');
  }

  /** Stores a value as a JSON artifact. */
  logJson(name: string, value: unknown): ArtifactInfo {
    return this.store.writeArtifact(this.id, name, JSON.stringify(value, null, 2), 'json');
  }

  /**
   * Stores a model file as this run's model artifact, `model/<file name>`: a saved file
   * copied in, or a model saved there with its `save(path)` (awaited if it returns a
   * promise). The registry registers a run by this artifact.
   */
  async logModel(model: string | SavableModel, fileName = 'model.safetensors'): Promise<ArtifactInfo> {
    if (typeof model === 'string') return this.store.copyArtifact(this.id, model, `model/${path.basename(model)}`, 'model')[0];
    const name = `model/${fileName}`;
    const file = path.join(this.artifactDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await model.save(file);
    return this.store.copyArtifact(this.id, file, name, 'model')[0];
  }

  /** Logs a histogram of `values` (weights, gradients, activations) at `step`. */
  logHistogram(key: string, values: ArrayLike<number>, step: number, bins = 30): void {
    this.store.logHistogram(this.id, key, step, histogram(values, bins));
  }

  /**
   * Logs a confusion matrix, `matrix[true class][predicted class]` counts, with class
   * labels (default '0', '1', ...), as a 'confusion_matrix' record.
   */
  logConfusionMatrix(matrix: readonly (readonly number[])[] | { values: ArrayLike<number>; shape: readonly number[] }, labels?: readonly (string | number)[], options: { step?: number; key?: string } = {}): void {
    const rows = toMatrix(matrix);
    const n = rows.length;
    if (rows.some((r) => r.length !== n)) throw new ValueError(`logConfusionMatrix: matrix must be square, got ${n} rows of lengths ${rows.map((r) => r.length).join(',')}`);
    if (labels && labels.length !== n) throw new ValueError(`logConfusionMatrix: ${labels.length} labels for a ${n}x${n} matrix`);
    const data: ConfusionMatrixData = { labels: (labels ?? rows.map((_, i) => i)).map(String), matrix: rows };
    this.store.logRecord(this.id, 'confusion_matrix', options.key ?? 'confusion_matrix', options.step ?? 0, data);
  }

  /**
   * Logs sample images with their labels and predictions: each image is stored as a PNG
   * artifact `images/<key>/<step>/<i>.png`, and an 'images' record lists them.
   */
  logImages(key: string, images: readonly LabeledImage[], step = 0): void {
    const data: ImagesData = { images: [] };
    images.forEach((item, i) => {
      const png = item.image instanceof Uint8Array ? item.image : encodePng(item.image);
      const { width, height } = pngSize(png);
      const artifact = this.store.writeArtifact(this.id, `images/${key}/${step}/${i}.png`, png, 'image');
      data.images.push({
        path: artifact.path,
        width,
        height,
        ...(item.label !== undefined && { label: String(item.label) }),
        ...(item.prediction !== undefined && { prediction: String(item.prediction) }),
        ...(item.caption !== undefined && { caption: item.caption }),
      });
    });
    this.store.logRecord(this.id, 'images', key, step, data);
  }

  /** Ends the run with `status` (FINISHED by default); ending twice is a no-op. */
  end(status: RunStatus = 'FINISHED'): void {
    if (this.ended) return;
    this.store.setStatus(this.id, status);
    this.status = status;
    clearInterval(this.timer);
    this.timer = undefined;
    activeRuns.delete(this);
  }

  private nextStep(key: string, step: number | undefined): number {
    const next = step ?? this.steps.get(key) ?? 0;
    this.steps.set(key, next + 1);
    return next;
  }

  /**
   * Writes the heartbeat: from the timer, and from logging calls at most once an interval,
   * since a synchronous training loop starves the timer.
   */
  private beat(force: boolean): void {
    const now = Date.now();
    if (this.ended || (!force && now - this.lastBeat < this.heartbeatMs)) return;
    this.lastBeat = now;
    try {
      this.store.heartbeat(this.id, now);
    } catch {
      // a busy or closed store: the next beat tries again
    }
  }
}

function toMatrix(m: readonly (readonly number[])[] | { values: ArrayLike<number>; shape: readonly number[] }): number[][] {
  if (Array.isArray(m)) return m.map((row: readonly number[]) => row.map(Number));
  const { values, shape } = m as { values: ArrayLike<number>; shape: readonly number[] };
  if (shape.length !== 2) throw new ValueError(`logConfusionMatrix: matrix must be 2-D, got shape [${shape.join(',')}]`);
  return Array.from({ length: shape[0] }, (_, i) => Array.from({ length: shape[1] }, (_, j) => Number(values[i * shape[1] + j])));
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const isPng = png.length >= 24 && png[0] === 0x89 && png[1] === 0x50 && png[2] === 0x4e && png[3] === 0x47;
  if (!isPng) throw new ValueError('logImages: image bytes are not a PNG file; pass raw pixels { width, height, channels, data } instead');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
