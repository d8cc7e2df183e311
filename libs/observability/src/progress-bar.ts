/**
 * A progress bar for command-line tools (benchmarks, rebuilds). Draws on stderr so stdout stays
 * clean for tables and `--json`; when stderr is not a terminal it prints a line per 10 %.
 */
export class ProgressBar {
  private done = 0;
  private lastDecile = -1;
  private readonly startedAt = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  tick(count = 1): void {
    this.done = Math.min(this.total, this.done + count);
    this.render();
  }

  update(done: number): void {
    this.done = Math.min(this.total, done);
    this.render();
  }

  finish(): void {
    this.update(this.total);
    if (this.stream.isTTY) this.stream.write('\n');
  }

  private render(): void {
    const ratio = this.total === 0 ? 1 : this.done / this.total;
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    if (this.stream.isTTY) {
      const filled = Math.round(ratio * this.width);
      this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${this.done}/${this.total} ${seconds}s`);
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${this.label}: ${this.done}/${this.total} (${decile * 10}%) ${seconds}s\n`);
    }
  }
}
