/**
 * The servables: every model's versions with their state (TF Serving's START, LOADING,
 * AVAILABLE, UNLOADING, END), its version labels and its A/B split, and the choice of the
 * version that serves a request.
 *
 * A version takes traffic only once it is AVAILABLE: loaded and warmed up in every
 * worker. A label moved to a version that is still loading keeps pointing at the old one
 * until the new one is available. A version that goes away is UNLOADING until its last
 * request in flight is answered, then unloaded.
 */
import type { Batcher } from './batcher.js';
import type { Executor } from './pool.js';
import { chooseVersion, type WeightedVersion } from './router.js';
import { ServeError, type ModelSource, type Signature } from './types.js';

export type ServableState = 'START' | 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

export interface Servable {
  name: string;
  version: number;
  /** The executor's key: `name:version:load`. */
  key: string;
  source: ModelSource;
  state: ServableState;
  /** Why loading failed (state END), else ''. */
  error: string;
  signature: Signature | null;
  /** Identifies the file's content (size and time) to notice a rewritten file. */
  stamp: string;
  /** The stamp of a new copy being loaded to replace this one. */
  replacing?: string;
}

export interface ServedModel {
  name: string;
  versions: Map<number, Servable>;
  /** Labels in force: label → an AVAILABLE version. */
  labels: Map<string, number>;
  /** Labels asked for whose version is not available yet. */
  pendingLabels: Map<string, number>;
  /** The A/B split of the default traffic (targets are versions or labels), or null: the highest version. */
  split: { target: string; weight: number }[] | null;
}

/** Which version a request asks for. */
export interface VersionRequest {
  version?: number;
  label?: string;
  /** The client key of a sticky A/B assignment. */
  clientKey?: string | null;
  /** The highest available version, whatever the A/B split (for metadata). */
  latest?: boolean;
}

export class ModelManager {
  readonly models = new Map<string, ServedModel>();
  /** Called on every state change (for logs). */
  onChange: ((servable: Servable) => void) | null = null;
  /** Called when a version is gone, so its metrics can be dropped. */
  onUnloaded: ((servable: Servable) => void) | null = null;
  private loadCount = 0;

  constructor(
    private readonly executor: Executor,
    private readonly batcher: Batcher,
  ) {}

  private model(name: string): ServedModel {
    let m = this.models.get(name);
    if (!m) {
      m = { name, versions: new Map(), labels: new Map(), pendingLabels: new Map(), split: null };
      this.models.set(name, m);
    }
    return m;
  }

  private setState(s: Servable, state: ServableState, error = ''): void {
    s.state = state;
    s.error = error;
    this.onChange?.(s);
  }

  /**
   * Loads a version (replacing a failed or rewritten one); resolves when it is AVAILABLE
   * or has failed (state END with the error). Never rejects.
   */
  async addVersion(name: string, version: number, source: ModelSource, stamp = ''): Promise<Servable> {
    const model = this.model(name);
    const existing = model.versions.get(version);
    // Same file: keep it (a failed one is retried only when its file changes).
    if (existing && existing.stamp === stamp && (existing.state !== 'END' || existing.error)) return existing;
    if (existing?.state === 'AVAILABLE') return this.replace(model, existing, source, stamp);
    const servable = this.newServable(name, version, source, stamp);
    if (existing && existing.state !== 'END') await this.retire(existing);
    model.versions.set(version, servable);
    this.setState(servable, 'LOADING');
    try {
      servable.signature = await this.executor.load(servable.key, source);
      if (model.versions.get(version) !== servable) {
        this.executor.unload(servable.key);
        return servable;
      }
      this.setState(servable, 'AVAILABLE');
      for (const [label, v] of model.pendingLabels) {
        if (v === version) {
          model.labels.set(label, version);
          model.pendingLabels.delete(label);
        }
      }
    } catch (err) {
      this.setState(servable, 'END', (err as Error).message);
    }
    return servable;
  }

  private newServable(name: string, version: number, source: ModelSource, stamp: string): Servable {
    // A fresh key for every load: a reloaded version never shares a key with the copy it replaces.
    return { name, version, key: `${name}:${version}:${++this.loadCount}`, source, state: 'START', error: '', signature: null, stamp };
  }

  /**
   * A served version whose file was rewritten: the new copy loads aside while the old one
   * keeps serving, then takes its place; the old one is unloaded once drained. If the new
   * file fails to load, the old copy stays.
   */
  private async replace(model: ServedModel, old: Servable, source: ModelSource, stamp: string): Promise<Servable> {
    if (old.replacing === stamp) return old;
    old.replacing = stamp;
    const fresh = this.newServable(model.name, old.version, source, stamp);
    this.setState(fresh, 'LOADING');
    try {
      fresh.signature = await this.executor.load(fresh.key, source);
    } catch (err) {
      this.setState(fresh, 'END', (err as Error).message);
      old.stamp = stamp;
      return old;
    }
    if (model.versions.get(old.version) !== old || old.state !== 'AVAILABLE' || old.replacing !== stamp) {
      this.executor.unload(fresh.key);
      return old;
    }
    model.versions.set(old.version, fresh);
    this.setState(fresh, 'AVAILABLE');
    void this.retire(old);
    return fresh;
  }

  /** Unloads a version once its requests in flight are answered. */
  async removeVersion(name: string, version: number): Promise<void> {
    const servable = this.models.get(name)?.versions.get(version);
    if (!servable || servable.state === 'END' || servable.state === 'UNLOADING') return;
    await this.retire(servable);
  }

  private async retire(servable: Servable): Promise<void> {
    const wasLoaded = servable.state === 'AVAILABLE';
    this.setState(servable, 'UNLOADING');
    await this.batcher.drained(servable.key);
    if (wasLoaded) this.executor.unload(servable.key);
    this.setState(servable, 'END');
    // A version replaced by a new copy keeps its labels and its metrics.
    const model = this.models.get(servable.name);
    if (model && model.versions.get(servable.version) === servable) {
      for (const [label, v] of model.labels) if (v === servable.version) model.labels.delete(label);
      this.onUnloaded?.(servable);
    }
  }

  /**
   * Points `label` at `version`. The version must exist; while it loads, the label keeps
   * its old version. Returns whether the label is in force now.
   */
  setLabel(name: string, label: string, version: number): boolean {
    const model = this.models.get(name);
    if (!model) throw notFound(name);
    const servable = model.versions.get(version);
    if (!servable || servable.state === 'END' || servable.state === 'UNLOADING') {
      throw new ServeError(400, `cannot point label '${label}' of model '${name}' at version ${version}: ${servable ? `it is ${servable.state}${servable.error ? ` (${servable.error})` : ''}` : 'no such version'} (versions: ${this.versionList(model)})`);
    }
    if (servable.state === 'AVAILABLE') {
      model.labels.set(label, version);
      model.pendingLabels.delete(label);
      return true;
    }
    model.pendingLabels.set(label, version);
    return false;
  }

  deleteLabel(name: string, label: string): void {
    const model = this.models.get(name);
    if (!model) throw notFound(name);
    const had = model.labels.delete(label) || model.pendingLabels.delete(label);
    if (!had) throw new ServeError(404, `model '${name}' has no label '${label}'`);
  }

  /** Sets (or, with null, removes) the A/B split of a model's default traffic. */
  setSplit(name: string, split: { target: string; weight: number }[] | null): void {
    const model = this.models.get(name);
    if (!model) throw notFound(name);
    if (split) {
      for (const { target } of split) {
        const version = /^\d+$/.test(target) ? Number(target) : (model.labels.get(target) ?? model.pendingLabels.get(target));
        if (version === undefined || !model.versions.has(version)) {
          throw new ServeError(400, `A/B split of model '${name}': '${target}' is not a version or label of it (versions: ${this.versionList(model)}; labels: ${[...model.labels.keys()].join(', ') || 'none'})`);
        }
      }
    }
    model.split = split;
  }

  /** The split in force: its targets resolved to available versions. */
  resolvedSplit(model: ServedModel): WeightedVersion[] {
    const out: WeightedVersion[] = [];
    for (const { target, weight } of model.split ?? []) {
      const version = /^\d+$/.test(target) ? Number(target) : model.labels.get(target);
      if (version === undefined || model.versions.get(version)?.state !== 'AVAILABLE') continue;
      const same = out.find((o) => o.version === version);
      if (same) same.weight += weight;
      else out.push({ version, weight });
    }
    return out;
  }

  /** The available servable that answers a request, or a 404/503 saying why none does. */
  resolve(name: string, request: VersionRequest = {}): Servable {
    const model = this.models.get(name);
    if (!model || model.versions.size === 0) throw notFound(name, request);
    let version: number | undefined;
    if (request.version !== undefined) {
      version = request.version;
    } else if (request.label !== undefined) {
      version = model.labels.get(request.label);
      if (version === undefined) {
        if (model.pendingLabels.has(request.label)) {
          throw new ServeError(503, `label '${request.label}' of model '${name}' points at version ${model.pendingLabels.get(request.label)}, which is still loading`);
        }
        throw new ServeError(404, `Unrecognized servable version label: ${request.label} (model '${name}' has labels: ${[...model.labels.keys()].join(', ') || 'none'})`);
      }
    } else {
      const split = request.latest ? [] : this.resolvedSplit(model);
      version = split.length > 0 ? chooseVersion(split, request.clientKey) : this.latestAvailable(model);
      if (version === undefined) {
        const loading = [...model.versions.values()].filter((s) => s.state === 'LOADING' || s.state === 'START');
        const failed = [...model.versions.values()].filter((s) => s.error);
        const why = loading.length > 0 ? `version ${loading.map((s) => s.version).join(', ')} is still loading` : failed.length > 0 ? failed.map((s) => `version ${s.version} failed to load: ${s.error}`).join('; ') : 'no version is loaded';
        throw new ServeError(503, `model '${name}' has no available version: ${why}`);
      }
    }
    const servable = model.versions.get(version);
    if (!servable || servable.state === 'END' || servable.state === 'UNLOADING') {
      throw new ServeError(404, `Servable not found for request: Specific(${name}, ${version})${servable?.error ? `: it failed to load: ${servable.error}` : ''}`);
    }
    if (servable.state !== 'AVAILABLE') throw new ServeError(503, `model '${name}' version ${version} is still loading`);
    return servable;
  }

  /** The status entries of a model (all versions, or the one asked for), newest first. */
  status(name: string, request: VersionRequest = {}): Servable[] {
    const model = this.models.get(name);
    if (!model) throw notFound(name, request);
    if (request.version === undefined && request.label === undefined) return [...model.versions.values()].sort((a, b) => b.version - a.version);
    const version = request.version ?? model.labels.get(request.label as string) ?? model.pendingLabels.get(request.label as string);
    if (version === undefined) throw new ServeError(404, `Unrecognized servable version label: ${request.label} (model '${name}' has labels: ${[...model.labels.keys()].join(', ') || 'none'})`);
    const servable = model.versions.get(version);
    if (!servable) throw notFound(name, { version });
    return [servable];
  }

  private latestAvailable(model: ServedModel): number | undefined {
    let best: number | undefined;
    for (const s of model.versions.values()) if (s.state === 'AVAILABLE' && (best === undefined || s.version > best)) best = s.version;
    return best;
  }

  private versionList(model: ServedModel): string {
    return [...model.versions.values()].map((s) => `${s.version} ${s.state}`).join(', ') || 'none';
  }
}

/** TF Serving's message for a servable that is not there. */
export function notFound(name: string, request: VersionRequest = {}): ServeError {
  const spec = request.version !== undefined ? `Specific(${name}, ${request.version})` : request.label !== undefined ? `Specific(${name}, ${request.label})` : `Latest(${name})`;
  return new ServeError(404, `Servable not found for request: ${spec}`);
}
