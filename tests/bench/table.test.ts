// Ratio columns of the results table: only figures with a better direction
// and positive values on both sides get one.

import { expect, test } from 'vitest';
import type { MachineInfo } from '../../bench/report/machine';
import { busyNote, Results, type Better } from '../../bench/report/table';

const MACHINE: MachineInfo = {
  cpuModel: 'test CPU',
  cores: 2,
  memoryGiB: 4,
  loadAverage: '0.00, 0.00, 0.00',
  node: 'v20',
  workerd: '1',
  wrangler: '4',
  ejabberd: '23',
  chromium: '1',
};

/** Returns the table row of one figure with Feige and the relay at the given values. */
function rowOf(better: Better, feige: number, relay: number): string {
  const results = new Results();
  results.row({ id: 'figure', label: 'the figure', unit: 'ms', better });
  results.add('figure', 'Feige', feige);
  results.add('figure', 'relay (floor)', relay);
  const markdown = results.toMarkdown(MACHINE, '0.00, 0.00, 0.00', 1, new Date(0), 1);
  return markdown.split('\n').find((line) => line.startsWith('| the figure'))!;
}

test('lower is better ratio', () => {
  expect(rowOf('lower', 2, 1)).toContain('0.50×');
});

test('higher is better ratio', () => {
  expect(rowOf('higher', 2, 1)).toContain('2.00×');
});

test('explanatory figure gets no ratio', () => {
  expect(rowOf('neither', 2, 1)).not.toContain('×');
});

test('negative figure gets no ratio', () => {
  expect(rowOf('lower', 2, -1)).not.toContain('×');
});

test('Feige gets a ratio to each floor and to ejabberd with its archive', () => {
  const results = new Results();
  results.row({ id: 'figure', label: 'the figure', unit: 'ms', better: 'lower' });
  results.add('figure', 'Feige', 2);
  results.add('figure', 'relay (floor)', 1);
  results.add('figure', 'workerd (floor)', 4);
  results.add('figure', 'ejabberd + archive', 8);
  const markdown = results.toMarkdown(MACHINE, '0.00, 0.00, 0.00', 1, new Date(0), 1);

  expect(markdown).toContain('| Feige vs relay | Feige vs workerd floor | Feige vs ejabberd + archive |');
  expect(markdown.split('\n').find((line) => line.startsWith('| the figure'))).toBe(
    '| the figure | ms | 2.00 | 1.00 | 4.00 | 8.00 | — | 0.50× | 2.00× | 4.00× |',
  );
});

test('load at the core count is quiet', () => {
  expect(busyNote(['2.00, 1.00, 0.50', '1.10, 1.00, 0.50'], 2)).toBe('');
});

test('load past the core count is noted', () => {
  expect(busyNote(['1.00, 1.00, 0.50', '2.01, 1.00, 0.50'], 2)).toBe(' (above 2, other work shared the cores)');
});

test('one repetition named as such', () => {
  const markdown = new Results().toMarkdown(MACHINE, '0.00, 0.00, 0.00', 1, new Date(0), 1);
  expect(markdown).toContain('- Each figure is from one repetition; the run took 1 s.');
});

test('repetitions give a median', () => {
  const markdown = new Results().toMarkdown(MACHINE, '0.00, 0.00, 0.00', 5, new Date(0), 1);
  expect(markdown).toContain('- Each figure is the median of 5 interleaved repetitions; the run took 1 s.');
});
