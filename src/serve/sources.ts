/**
 * Where the server finds its models, polled for changes (hot reload):
 *
 * - a model file: one version (1);
 * - a model folder in TF Serving's layout, `<dir>/<version>/model.safetensors` (or the one
 *   `.safetensors` file of the version folder): versions that appear are loaded, versions
 *   that go are unloaded, a rewritten file is loaded again;
 * - a base folder with one model folder per name (`<base>/<name>/<version>/...`);
 * - the model registry of a tracking store: every registered model (or those named), its
 *   versions, and its aliases as labels.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ModelRegistry } from '../track/registry.js';
import { TrackingStore } from '../track/store.js';
import type { ModelManager } from './manager.js';

export interface ModelWatcher {
  /** Looks once and loads what changed; resolves when the loads are done. */
  poll(manager: ModelManager): Promise<void>;
  close?(): void;
}

/** `size:mtime` of a file, or '' when it cannot be read. */
export function fileStamp(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** The model file of a version folder: `model.safetensors`, else its only `.safetensors` file. */
export function versionFile(dir: string): string | null {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return null;
  }
  if (names.includes('model.safetensors')) return path.join(dir, 'model.safetensors');
  const files = names.filter((n) => n.endsWith('.safetensors'));
  return files.length === 1 ? path.join(dir, files[0]) : null;
}

/** One model file served as version 1 (reloaded when the file is rewritten). */
export class FileWatcher implements ModelWatcher {
  constructor(
    readonly name: string,
    readonly file: string,
  ) {}

  async poll(manager: ModelManager): Promise<void> {
    const stamp = fileStamp(this.file) || 'missing';
    await manager.addVersion(this.name, 1, { kind: 'file', path: this.file }, stamp);
  }
}

/** A model folder in TF Serving's layout: one sub-folder per integer version. */
export class VersionDirWatcher implements ModelWatcher {
  constructor(
    readonly name: string,
    readonly dir: string,
  ) {}

  async poll(manager: ModelManager): Promise<void> {
    const found = new Map<number, string>();
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(this.dir, { withFileTypes: true });
    } catch {
      // The folder may be created later; until then the model has no versions.
    }
    for (const e of entries) {
      if (!e.isDirectory() || !/^\d+$/.test(e.name)) continue;
      const file = versionFile(path.join(this.dir, e.name));
      if (file) found.set(Number(e.name), file);
    }
    const loads: Promise<unknown>[] = [];
    for (const [version, file] of found) {
      loads.push(manager.addVersion(this.name, version, { kind: 'file', path: file }, fileStamp(file)));
    }
    const model = manager.models.get(this.name);
    for (const version of model?.versions.keys() ?? []) {
      if (!found.has(version)) loads.push(manager.removeVersion(this.name, version));
    }
    await Promise.all(loads);
  }
}

/** A base folder holding one model folder per name. */
export class BaseDirWatcher implements ModelWatcher {
  private readonly models = new Map<string, VersionDirWatcher>();

  constructor(readonly dir: string) {}

  async poll(manager: ModelManager): Promise<void> {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(this.dir, { withFileTypes: true });
    } catch {
      // Not there yet.
    }
    for (const e of entries) {
      if (e.isDirectory() && !this.models.has(e.name)) this.models.set(e.name, new VersionDirWatcher(e.name, path.join(this.dir, e.name)));
    }
    await Promise.all([...this.models.values()].map((w) => w.poll(manager)));
  }
}

/** The models of a tracking store's registry, with their aliases as labels. */
export class RegistryWatcher implements ModelWatcher {
  private store: TrackingStore | null = null;
  /** The aliases last seen, `name@alias` → version, so that only changes are applied. */
  private readonly seenAliases = new Map<string, number>();

  constructor(
    /** The store folder (default $SHENDU_HOME or ./.shendu). */
    readonly home?: string,
    /** Serve only these models (default every registered model). */
    readonly names?: string[],
  ) {}

  private registry(): ModelRegistry {
    this.store ??= TrackingStore.open({ home: this.home });
    return new ModelRegistry(this.store);
  }

  async poll(manager: ModelManager): Promise<void> {
    const registry = this.registry();
    const models = registry.listModels().filter((m) => !this.names || this.names.includes(m.name));
    const loads: Promise<unknown>[] = [];
    for (const m of models) {
      const versions = registry.listVersions(m.name);
      for (const v of versions) loads.push(manager.addVersion(m.name, v.version, { kind: 'file', path: v.file }, fileStamp(v.file)));
      const served = manager.models.get(m.name);
      for (const version of served?.versions.keys() ?? []) {
        if (!versions.some((v) => v.version === version)) loads.push(manager.removeVersion(m.name, version));
      }
    }
    // Labels follow aliases once the loads have started, so a new version can be pending.
    const applyAliases = () => {
      for (const m of models) {
        for (const [alias, version] of Object.entries(m.aliases)) {
          const key = `${m.name}@${alias}`;
          if (this.seenAliases.get(key) === version) continue;
          try {
            manager.setLabel(m.name, alias, version);
            this.seenAliases.set(key, version);
          } catch {
            // The version failed to load: the label stays where it was.
          }
        }
      }
    };
    await new Promise((resolve) => setImmediate(resolve));
    applyAliases();
    await Promise.all(loads);
    applyAliases();
  }

  close(): void {
    this.store?.close();
    this.store = null;
  }
}
