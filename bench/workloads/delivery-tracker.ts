// Counts what each receiver got against what was sent to it: every key must
// arrive exactly once. Duplicates, unknown keys and missing keys are errors
// of the run, reported with the figures.

export class DeliveryTracker {
  private readonly expected = new Set<string>();
  private readonly received = new Set<string>();
  duplicates = 0;
  unexpected = 0;
  problems: string[] = [];
  private waiters: Array<{ count: number; resolve(): void }> = [];

  expect(keys: Iterable<string>): void {
    for (const key of keys) this.expected.add(key);
  }

  /** Records one arrival; returns true when it is the first arrival of an expected key. */
  record(key: string): boolean {
    if (!this.expected.has(key)) {
      this.unexpected += 1;
      return false;
    }
    if (this.received.has(key)) {
      this.duplicates += 1;
      return false;
    }
    this.received.add(key);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.received.size < waiter.count) return true;
      waiter.resolve();
      return false;
    });
    return true;
  }

  problem(text: string): void {
    if (this.problems.length < 5) this.problems.push(text);
    else if (this.problems.length === 5) this.problems.push('(more problems left out)');
  }

  get receivedCount(): number {
    return this.received.size;
  }

  get missing(): number {
    return this.expected.size - this.received.size;
  }

  /** Resolves once `count` distinct expected keys arrived. */
  waitForCount(count: number): Promise<void> {
    if (this.received.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Throws when anything arrived twice, arrived unasked or went missing, or a protocol problem was seen. */
  assertExactlyOnce(what: string): void {
    const faults: string[] = [];
    if (this.missing > 0) faults.push(`${this.missing} of ${this.expected.size} messages missing`);
    if (this.duplicates > 0) faults.push(`${this.duplicates} duplicates`);
    if (this.unexpected > 0) faults.push(`${this.unexpected} unexpected messages`);
    if (this.problems.length > 0) faults.push(`problems: ${this.problems.join('; ')}`);
    if (faults.length > 0) throw new Error(`${what}: ${faults.join(', ')}`);
  }
}
