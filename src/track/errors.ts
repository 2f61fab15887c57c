/**
 * Errors of the tracking store and the model registry. A dashboard or a CLI maps
 * NotFoundError to "404" / exit code 1, StoreError to a message naming the store file.
 */

/** A run, experiment, artifact, registered model, version or alias that does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The store file cannot be used: corrupted, not a database, or of a newer schema. */
export class StoreError extends Error {
  override name = 'StoreError';
}
