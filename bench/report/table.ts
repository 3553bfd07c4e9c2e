// The results table: one row per figure, one column per target, each cell the
// median of the repetitions, with the ratio of Feige to the floor and to
// ejabberd with its archive.

import type { MachineInfo } from './machine';
import { median } from './stats';

/** Direction in which a figure is better. A figure that only explains another is `neither` and gets no ratio. */
export type Better = 'lower' | 'higher' | 'neither';

export interface RowSpec {
  id: string;
  label: string;
  unit: string;
  better: Better;
}

/** Targets in column order. The ratios compare Feige with both floors and with ejabberd with its archive. */
export const COLUMNS = ['Feige', 'relay (floor)', 'workerd (floor)', 'ejabberd + archive', 'ejabberd, no archive'] as const;
export type Column = (typeof COLUMNS)[number];

export class Results {
  private readonly rows: RowSpec[] = [];
  private readonly samples = new Map<string, Map<Column, number[]>>();
  /** Cells with no number: why (not applicable, failed, skipped). */
  private readonly notes = new Map<string, Map<Column, string>>();
  readonly failures: string[] = [];

  row(spec: RowSpec): void {
    if (!this.rows.some((row) => row.id === spec.id)) this.rows.push(spec);
  }

  add(rowId: string, column: Column, value: number): void {
    const byColumn = this.samples.get(rowId) ?? new Map<Column, number[]>();
    this.samples.set(rowId, byColumn);
    byColumn.set(column, [...(byColumn.get(column) ?? []), value]);
  }

  note(rowId: string, column: Column, text: string): void {
    const byColumn = this.notes.get(rowId) ?? new Map<Column, string>();
    this.notes.set(rowId, byColumn);
    byColumn.set(column, text);
  }

  fail(rowId: string, column: Column, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.note(rowId, column, 'failed');
    this.failures.push(`${rowId} on ${column}: ${message.split('\n')[0]}`);
  }

  private value(rowId: string, column: Column): number | undefined {
    const values = this.samples.get(rowId)?.get(column);
    return values && values.length > 0 ? median(values) : undefined;
  }

  private cell(rowId: string, column: Column): string {
    const value = this.value(rowId, column);
    const note = this.notes.get(rowId)?.get(column);
    if (value === undefined) return note ?? '—';
    const count = this.samples.get(rowId)?.get(column)?.length ?? 0;
    // A count (errors, say) is a median of whole numbers, so it needs no decimals unless the median falls between two.
    const unit = this.rows.find((row) => row.id === rowId)?.unit;
    const text = unit === 'count' && Number.isInteger(value) ? value.toLocaleString('en-US') : formatNumber(value);
    return `${text}${note === 'failed' ? ` (${count} ok)` : ''}`;
  }

  /** Feige's figure over the reference's, as "how many times better" (> 1 means Feige is better). */
  private ratio(row: RowSpec, reference: Column): string {
    // A median over fewer repetitions than the other column's is no fair comparison.
    if (this.notes.get(row.id)?.get('Feige') === 'failed' || this.notes.get(row.id)?.get(reference) === 'failed') return '—';
    const feige = this.value(row.id, 'Feige');
    const other = this.value(row.id, reference);
    // RSS can shrink during a phase, so a memory figure can be negative, and a ratio of it means nothing.
    if (row.better === 'neither' || feige === undefined || other === undefined || feige <= 0 || other <= 0) return '—';
    const better = row.better === 'lower' ? other / feige : feige / other;
    return `${better.toFixed(2)}×`;
  }

  /** Renders the table; each of `setup` becomes one more bullet of the header, for example how clients reached a server. */
  toMarkdown(machine: MachineInfo, loadAverageAtEnd: string, repetitions: number, started: Date, durationS: number, setup: string[] = []): string {
    const header = [
      `# Feige bench, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB; load average ${machine.loadAverage} at the start and ${loadAverageAtEnd} at the end${busyNote([machine.loadAverage, loadAverageAtEnd], machine.cores)}`,
      `- Node ${machine.node}, workerd ${machine.workerd} (wrangler ${machine.wrangler}), ejabberd ${machine.ejabberd}, ${machine.chromium}`,
      ...setup.map((line) => `- ${line}`),
      `- ${repetitions === 1 ? 'Each figure is from one repetition' : `Each figure is the median of ${repetitions} interleaved repetitions`}; the run took ${Math.round(durationS)} s.`,
      '- Ratio columns: how many times better Feige is than each floor and than ejabberd with its archive (> 1 is better, < 1 is worse).',
      "- The relay is the floor of any server: Node's `ws` with no storage. The workerd floor is the floor of this runtime: a minimal Worker that stores each 1:1 message in the recipient's and the sender's Durable Object, as Feige does, and does nothing else (bench/workerd-floor/worker.ts).",
      '',
    ];
    const head = `| figure | unit | ${COLUMNS.join(' | ')} | Feige vs relay | Feige vs workerd floor | Feige vs ejabberd + archive |`;
    const rule = `| --- | --- | ${COLUMNS.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`;
    const body = this.rows.map(
      (row) =>
        `| ${row.label} | ${row.unit} | ${COLUMNS.map((column) => this.cell(row.id, column)).join(' | ')} | ` +
        `${this.ratio(row, 'relay (floor)')} | ${this.ratio(row, 'workerd (floor)')} | ${this.ratio(row, 'ejabberd + archive')} |`,
    );
    const failures = this.failures.length === 0 ? [] : ['', 'Failures:', '', ...this.failures.map((failure) => `- ${failure}`)];
    return [...header, head, rule, ...body, ...failures, ''].join('\n');
  }
}

function formatNumber(value: number): string {
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/**
 * Returns the header's remark on the load: a one-minute load average above
 * the core count at the start or the end means other work shared the cores.
 * `loadAverages` are /proc/loadavg's first three fields, as "1.20, 0.80, 0.50".
 */
export function busyNote(loadAverages: readonly string[], cores: number): string {
  const busy = loadAverages.some((loads) => Number.parseFloat(loads) > cores);
  return busy ? ` (above ${cores}, other work shared the cores)` : '';
}
