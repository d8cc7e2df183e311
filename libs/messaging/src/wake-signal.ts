/**
 * A sleep that can be cut short. `fire()` wakes the current `wait`, or the next one if nobody is
 * waiting, so a wake-up that arrives while the loop is busy (a NOTIFY during a publish batch,
 * a `stop()` during a handler) is not lost.
 */
export class WakeSignal {
  private flagged = false;
  private waiter: (() => void) | undefined;

  fire(): void {
    this.flagged = true;
    this.waiter?.();
  }

  wait(ms: number): Promise<void> {
    if (this.flagged) {
      this.flagged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiter = undefined;
        this.flagged = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}
