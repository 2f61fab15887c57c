/** The records the tracking store returns: plain objects, ready to print or send as JSON. */
import type { Histogram } from './histogram.js';

export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';
export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED'];

export interface Experiment {
  id: number;
  name: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  runCount: number;
}

/** The last value of a metric with its min, max and number of points. */
export interface MetricSummary {
  value: number;
  step: number;
  timestamp: number;
  min: number;
  max: number;
  count: number;
}

/** One logged point; `id` increases with every point stored, across runs (for live updates). */
export interface MetricPoint {
  id: number;
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export interface RunInfo {
  id: string;
  name: string;
  experimentId: number;
  experiment: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  /** Last sign of life of a RUNNING run (ms since the epoch). */
  heartbeat: number;
  /** The command line that started the run. */
  source: string;
  gitCommit: string | null;
  host: string;
  pid: number;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: Record<string, MetricSummary>;
}

export interface ArtifactInfo {
  /** Relative path inside the run's artifact folder, '/'-separated. */
  path: string;
  /** 'file', 'model', 'text', 'json', 'image', ... */
  kind: string;
  size: number;
  createdAt: number;
}

export interface HistogramRecord extends Histogram {
  key: string;
  step: number;
  timestamp: number;
}

/** Structured data a run logs (a confusion matrix, a set of sample images, ...). */
export interface RunRecord<T = unknown> {
  id: number;
  kind: string;
  key: string;
  step: number;
  timestamp: number;
  data: T;
}

/** The data of a 'confusion_matrix' record: `matrix[true][predicted]` counts. */
export interface ConfusionMatrixData {
  labels: string[];
  matrix: number[][];
}

/** The data of an 'images' record: PNG artifacts with the label and the prediction. */
export interface ImagesData {
  images: { path: string; width: number; height: number; label?: string; prediction?: string; caption?: string }[];
}

export interface SearchQuery {
  /** Experiment name (or names); all experiments when absent. */
  experiment?: string | string[];
  /** e.g. "metrics.loss < 0.5 and params.optimizer = 'adam'" (see search.ts). */
  filter?: string;
  /** e.g. ['metrics.loss ASC']; newest first by default. */
  orderBy?: string[];
  status?: RunStatus | RunStatus[];
  limit?: number;
}
