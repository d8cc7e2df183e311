import { ToolportError } from '@toolport/contracts';
import type { ConsumerRunner, ConsumerStatus, HaltActionRecorder } from './consumer-runner';

/**
 * The consumers one service runs, by definition name (`<service>-<purpose>`): what /readyz
 * reports and what the admin resume/skip endpoints act on.
 */
export class ConsumerRegistry {
  private readonly runners = new Map<string, ConsumerRunner>();

  add(runner: ConsumerRunner): void {
    if (this.runners.has(runner.name)) throw new Error(`consumer ${runner.name} is registered twice`);
    this.runners.set(runner.name, runner);
  }

  get(name: string): ConsumerRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new ToolportError('not_found', 'CONSUMER_NOT_FOUND', `no consumer named ${name} runs here`);
    return runner;
  }

  list(): ConsumerRunner[] {
    return [...this.runners.values()];
  }

  statuses(): ConsumerStatus[] {
    return this.list().map((runner) => runner.status());
  }

  halted(): ConsumerStatus[] {
    return this.statuses().filter((status) => status.halted !== undefined);
  }

  /** `record` runs before the resume takes effect; if it fails, the consumer stays halted. */
  async resume(name: string, record?: HaltActionRecorder): Promise<ConsumerStatus> {
    const runner = this.haltedRunner(name);
    await runner.resume(record);
    return runner.status();
  }

  /** `record` runs before the message is skipped; if it fails, nothing is skipped. */
  async skip(name: string, record?: HaltActionRecorder): Promise<ConsumerStatus> {
    const runner = this.haltedRunner(name);
    await runner.skip(record);
    return runner.status();
  }

  /** Stops every runner, each letting its message in hand finish. */
  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((runner) => runner.stop()));
  }

  private haltedRunner(name: string): ConsumerRunner {
    const runner = this.get(name);
    if (runner.status().state !== 'halted') {
      throw new ToolportError('conflict', 'CONSUMER_NOT_HALTED', `consumer ${name} is ${runner.status().state}, not halted`);
    }
    return runner;
  }
}
