// The JSON API and the live feed (server-sent events), as the pages use them.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GETs a JSON route; throws ApiError with the server's message on an error status. */
export async function getJson(path, params) {
  const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString() : '';
  const res = await fetch(`${path}${query ? `?${query}` : ''}`, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({ message: res.statusText }));
  if (!res.ok) throw new ApiError(res.status, body.message ?? res.statusText);
  return body;
}

export const runPath = (id) => `api/runs/${encodeURIComponent(id)}`;
export const artifactUrl = (runId, path) => `${runPath(runId)}/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`;

/**
 * One EventSource for the page: `metrics` events carry new points
 * `[id, runId, key, step, timestamp, value]`, `runs` events runs that started or changed
 * status. Listeners subscribe with on(); the cursor says which points the page has seen.
 */
class LiveFeed {
  constructor() {
    this.listeners = { metrics: new Set(), runs: new Set(), status: new Set() };
    this.cursor = null;
    this.connected = false;
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
  }

  start() {
    if (this.source) return;
    this.source = new EventSource('api/events');
    this.source.addEventListener('hello', (e) => {
      const { cursor } = JSON.parse(e.data);
      if (this.cursor === null) this.cursor = cursor;
      this.setConnected(true);
      this.resolveReady();
    });
    this.source.addEventListener('metrics', (e) => {
      const event = JSON.parse(e.data);
      this.cursor = event.cursor;
      for (const fn of this.listeners.metrics) fn(event.points);
    });
    this.source.addEventListener('runs', (e) => {
      const event = JSON.parse(e.data);
      for (const fn of this.listeners.runs) fn(event.runs);
    });
    this.source.addEventListener('error', (e) => {
      if (e.data) console.warn('live feed:', JSON.parse(e.data).message);
      else this.setConnected(false);
    });
    // no first event after a while: do not keep pages waiting for it
    setTimeout(() => this.resolveReady(), 3000);
  }

  setConnected(on) {
    if (this.connected === on) return;
    this.connected = on;
    for (const fn of this.listeners.status) fn(on);
  }

  /** Adds a listener of 'metrics', 'runs' or 'status'; returns the function removing it. */
  on(type, fn) {
    this.listeners[type].add(fn);
    return () => this.listeners[type].delete(fn);
  }
}

export const live = new LiveFeed();
