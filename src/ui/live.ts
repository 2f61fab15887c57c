/**
 * Live updates for open pages: one timer polls the store for metric points newer than the
 * last one seen (metric ids only grow) and for runs that started or changed status, and
 * hands them to each subscriber (a server-sent-events stream). The timer runs only while
 * someone is subscribed.
 */
import type { DashboardData, LivePoint, RunState } from './data.js';

/** What a subscriber receives. */
export type LiveEvent =
  | { type: 'metrics'; cursor: number; points: LivePoint[] }
  | { type: 'runs'; runs: RunState[] }
  | { type: 'error'; message: string };

export interface Subscriber {
  /** Only points of these runs (all runs when undefined). */
  runs: Set<string> | undefined;
  /** The id of the last point this subscriber has. */
  cursor: number;
  send(event: LiveEvent): void;
}

/** Points read per poll at most; a backlog is sent over the following polls. */
const BATCH = 20_000;

export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;
  private states = new Map<string, string>();
  private lastError = '';

  constructor(
    private readonly data: DashboardData,
    readonly intervalMs = 1000,
  ) {}

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(subscriber: Subscriber): () => void {
    if (this.subscribers.size === 0) {
      this.states = this.readStates();
      this.timer = setInterval(() => this.poll(), this.intervalMs);
    }
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One poll: new points to each subscriber past its cursor, then run changes to all. */
  poll(): void {
    try {
      this.pollPoints();
      this.pollRuns();
      this.lastError = '';
    } catch (err) {
      // a store replaced or damaged while open: say it once, keep polling
      const message = (err as Error).message;
      if (message !== this.lastError) for (const s of this.subscribers) s.send({ type: 'error', message });
      this.lastError = message;
    }
  }

  private pollPoints(): void {
    if (this.subscribers.size === 0) return;
    const from = Math.min(...[...this.subscribers].map((s) => s.cursor));
    const points = this.data.pointsAfter(from, BATCH);
    if (points.length === 0) return;
    const last = points[points.length - 1][0];
    for (const s of this.subscribers) {
      const mine = points.filter(([id, run]) => id > s.cursor && (!s.runs || s.runs.has(run)));
      s.cursor = Math.max(s.cursor, last);
      if (mine.length > 0) s.send({ type: 'metrics', cursor: s.cursor, points: mine });
    }
  }

  private pollRuns(): void {
    const states = this.data.runStates();
    const changed = states.filter((state) => this.states.get(state.id) !== state.status);
    const next = new Map(states.map((r) => [r.id, r.status]));
    const removed = [...this.states.keys()].filter((id) => !next.has(id));
    this.states = next;
    if (changed.length === 0 && removed.length === 0) return;
    const runs = [...changed, ...removed.map((id) => ({ id, status: 'DELETED', endTime: null, heartbeat: 0 }))];
    for (const s of this.subscribers) s.send({ type: 'runs', runs });
  }

  private readStates(): Map<string, string> {
    return new Map(this.data.runStates().map((r) => [r.id, r.status]));
  }
}
