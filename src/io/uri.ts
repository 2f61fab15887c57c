/**
 * Model URIs such as `models:/mnist@champion` or `runs:/<id>/model.safetensors`: the io
 * layer knows no registry, so the layer that owns one registers a resolver for its scheme
 * (the tracking module registers `models:` and `runs:` when it is imported).
 */
import { ValueError } from '../errors.js';

type Resolver = (uri: string) => string;

const resolvers = new Map<string, Resolver>();

/** Makes `scheme:` URIs (e.g. 'models') resolvable to file paths by `sd.loadModel`. */
export function registerUriResolver(scheme: string, resolve: Resolver): void {
  resolvers.set(scheme, resolve);
}

/** A file path for `pathOrUri`: paths come back unchanged, known URIs are resolved. */
export function resolveModelPath(pathOrUri: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\//i.exec(pathOrUri);
  if (!match || match[1].length === 1) return pathOrUri; // a plain path (or a Windows drive letter)
  const resolve = resolvers.get(match[1]);
  if (!resolve) {
    const known = [...resolvers.keys()].map((s) => `${s}:/`).join(', ') || 'none registered';
    throw new ValueError(`loadModel: no resolver for '${match[1]}:/' URIs such as '${pathOrUri}' (known: ${known})`);
  }
  return resolve(pathOrUri);
}
