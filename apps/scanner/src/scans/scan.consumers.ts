import { Inject, Injectable } from '@nestjs/common';
import type { CommandContext, DataOf, ScanRequested, ToolDriftDetected, VersionPublished, VersionStatusChanged } from '@toolport/contracts';
import { type ConsumedEvent, ProjectionConsumer, type ProjectionHandler, WorkConsumer, type WorkHandler } from '@toolport/messaging';
import type { PoolClient } from 'pg';
import { SCAN_ENGINE } from '../scan-engine/scan-engine.token';
import type { ScanEngine } from '../scan-engine/scan-engine';
import { ScanCommands } from './scan-commands';
import { ScanScheduler } from './scan-job';
import { SCANNER_ACTOR } from './scan-processor';
import { ScanVersions } from './scan-versions';

/** The scanner acts on another service's event: its own actor, the event as cause, the trace carried on. */
function causedBy(event: ConsumedEvent): CommandContext {
  return {
    actor: SCANNER_ACTOR,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.eventId,
    traceparent: event.metadata.traceparent,
    now: new Date(),
  };
}

/**
 * `scanner-publisher-events` (a projection: the publisher's stream in order). A publish is
 * recorded in `scan_versions` and its ScanRequested appended in the same transaction as the
 * consumer's checkpoint, so a redelivered VersionPublished finds its checkpoint passed and adds
 * nothing (and the decider would refuse a second `published` request anyway). The job is
 * enqueued once that commit is visible, by `scanner-scan-requests`.
 */
@ProjectionConsumer('publisher-events')
@Injectable()
export class PublisherEventsScanConsumer implements ProjectionHandler {
  constructor(
    @Inject(ScanVersions) private readonly versions: ScanVersions,
    @Inject(ScanCommands) private readonly commands: ScanCommands,
    @Inject(SCAN_ENGINE) private readonly engine: ScanEngine,
  ) {}

  async handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    if (event.type === 'VersionPublished') {
      const data = event.data as DataOf<typeof VersionPublished>;
      await this.versions.recordPublished(tx, data, event.metadata.actor);
      const context = causedBy(event);
      await this.commands.execute(
        { type: 'RequestScan', serverName: data.serverName, version: data.version, reason: 'published', rulesVersion: this.engine.rulesVersion, now: context.now },
        context,
        tx,
      );
    } else if (event.type === 'VersionStatusChanged') {
      await this.versions.recordStatus(tx, event.data as DataOf<typeof VersionStatusChanged>);
    }
  }
}

/** `scanner-health-drift`: a live server lists other tools than approved, so scan the version again. */
@ProjectionConsumer('health-drift')
@Injectable()
export class ToolDriftScanConsumer implements ProjectionHandler {
  constructor(
    @Inject(ScanVersions) private readonly versions: ScanVersions,
    @Inject(ScanCommands) private readonly commands: ScanCommands,
    @Inject(SCAN_ENGINE) private readonly engine: ScanEngine,
  ) {}

  async handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    if (event.type !== 'ToolDriftDetected') return;
    const data = event.data as DataOf<typeof ToolDriftDetected>;
    const version = await this.versions.get(data.serverName, data.version);
    // A version the publisher never announced, or one deleted since, is not scanned.
    if (version === null || version.status === 'deleted') return;
    const context = causedBy(event);
    await this.commands.execute(
      { type: 'RequestScan', serverName: data.serverName, version: data.version, reason: 'drift', rulesVersion: this.engine.rulesVersion, now: context.now },
      context,
      tx,
    );
  }
}

/**
 * `scanner-scan-requests` (work): the scanner's own committed ScanRequested events become jobs.
 * At least once is enough: the job id is the request's, so a redelivery adds no second job.
 */
@WorkConsumer('scan-requests')
@Injectable()
export class ScanRequestsConsumer implements WorkHandler {
  constructor(@Inject(ScanScheduler) private readonly scheduler: ScanScheduler) {}

  async handle(event: ConsumedEvent): Promise<void> {
    if (event.type !== 'ScanRequested') return;
    const data = event.data as DataOf<typeof ScanRequested>;
    // Requests written before requestNumber existed are left to the reconciler, which reads the stream.
    if (data.requestNumber === undefined) return;
    await this.scheduler.enqueue({ serverName: data.serverName, version: data.version, requestNumber: data.requestNumber, rulesVersion: data.rulesVersion });
  }
}
