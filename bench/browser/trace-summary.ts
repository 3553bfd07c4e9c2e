// Chromium trace events of the page's main thread between two User Timing
// marks, summarised as the tasks, style recalculations, layouts and paints
// that ran there. The CPU profiler shows this work only as `(program)`.

/** Trace categories to record: the DevTools timeline and `performance.mark`. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
];

/** Main-thread events listed one by one. Others count only in the totals. */
const LISTED_EVENTS = new Set([
  'EventDispatch',
  'FunctionCall',
  'RunMicrotasks',
  'TimerFire',
  'FireAnimationFrame',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'ParseHTML',
  'HitTest',
]);

/** Listed events shorter than this are left out of the list. */
const LISTED_MIN_MS = 0.2;

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { data?: ProfileChunkData & { startTime?: number } };
}

interface ProfileChunkData {
  cpuProfile?: {
    nodes?: { id: number; parent?: number; callFrame: { functionName: string; url?: string; lineNumber?: number } }[];
    samples?: number[];
  };
  timeDeltas?: number[];
}

export interface TimedEvent {
  name: string;
  /** Milliseconds from the start mark. */
  startMs: number;
  durationMs: number;
}

export interface TraceSummary {
  windowMs: number;
  events: TimedEvent[];
  /** JavaScript functions with the most total time (callees included) between the start mark and `profileEndMark`, from the trace's CPU samples. */
  functions: [string, number][];
  /** Total duration by event name, largest first. Nested events are also counted in their parents. */
  totals: [string, number][];
}

/**
 * Summarises the main-thread events between the marks `startMark` and
 * `endMark` of a trace from `browser.stopTracing()`, and the JavaScript
 * sampled between `startMark` and `profileEndMark`.
 */
export function summariseTrace(trace: Buffer, startMark: string, endMark: string, profileEndMark: string): TraceSummary | undefined {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);

  const start = events.find((event) => event.name === startMark);
  const end = events.find((event) => event.name === endMark);
  if (!start || !end) return undefined;

  // performance.mark is recorded on the renderer's main thread.
  const onMain = (event: TraceEvent) => event.pid === start.pid && event.tid === start.tid;
  const inWindow = events.filter((event) => event.ph === 'X' && onMain(event) && event.ts + (event.dur ?? 0) >= start.ts && event.ts <= end.ts);

  const totals = new Map<string, number>();
  for (const event of inWindow) totals.set(event.name, (totals.get(event.name) ?? 0) + (event.dur ?? 0) / 1000);

  const listed = inWindow
    .filter((event) => LISTED_EVENTS.has(event.name) && (event.dur ?? 0) / 1000 >= LISTED_MIN_MS)
    .sort((a, b) => a.ts - b.ts)
    .map((event) => ({ name: event.name, startMs: (event.ts - start.ts) / 1000, durationMs: (event.dur ?? 0) / 1000 }));

  const profileEnd = events.find((event) => event.name === profileEndMark) ?? end;
  return {
    windowMs: (end.ts - start.ts) / 1000,
    events: listed,
    functions: sampledFunctions(events, start, profileEnd),
    totals: [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15),
  };
}

/** Totals the CPU samples of the marks' thread between the two marks by function, each sample once per function on its stack. */
function sampledFunctions(events: TraceEvent[], start: TraceEvent, end: TraceEvent): [string, number][] {
  const profile = events.find((event) => event.name === 'Profile' && event.pid === start.pid && event.tid === start.tid);
  if (!profile?.args?.data?.startTime) return [];

  const nameOf = new Map<number, string>();
  const parentOf = new Map<number, number>();
  const totals = new Map<string, number>();
  let time = profile.args.data.startTime;
  let previous = time;
  const chunks = events.filter((event) => event.name === 'ProfileChunk' && event.id === profile.id);
  for (const chunk of chunks) {
    const data = chunk.args?.data ?? {};
    for (const node of data.cpuProfile?.nodes ?? []) {
      const { url = '', lineNumber = 0 } = node.callFrame;
      const file = url === '' ? '' : ` ${url.replace(/^.*\//, '')}:${lineNumber}`;
      nameOf.set(node.id, `${node.callFrame.functionName || '(anonymous)'}${file}`);
      if (node.parent !== undefined) parentOf.set(node.id, node.parent);
    }
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      time += deltas[i] ?? 0;
      const interval = time - previous;
      previous = time;
      if (time < start.ts || time > end.ts) continue;

      const onStack = new Set<string>();
      for (let id: number | undefined = samples[i]; id !== undefined; id = parentOf.get(id)) onStack.add(nameOf.get(id) ?? '(unknown)');
      for (const name of onStack) totals.set(name, (totals.get(name) ?? 0) + interval / 1000);
    }
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
}
