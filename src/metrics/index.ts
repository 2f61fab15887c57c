/** Metrics, `sd.metrics`. */
export {};
