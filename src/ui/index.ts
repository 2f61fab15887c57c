/**
 * The training dashboard (`shendu ui`, `sd.ui.startUi()`): runs, charts with live
 * updates, histograms, the model picture, hyperparameter comparison, confusion matrices,
 * sample images and the model registry, served from the tracking store (read-only).
 */
export { startUi, createUiApp, DEFAULT_HOST, DEFAULT_PORT, type UiOptions, type UiServer } from './server.js';
export { DashboardData, type RunDetail } from './data.js';
export { downsample, DEFAULT_MAX_POINTS, type Series, type XAxis } from './series.js';
export { parseSummary, parseArchitecture, buildModelGraph, type ModelGraph, type GraphNode } from './model-graph.js';
export { isLoopback, checkBinding } from './auth.js';
