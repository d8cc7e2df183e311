import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { describeUrl, FetchError, type PackageFetcher } from '@toolport/platform';
import type { Finding } from '../analyzers/finding';
import { ArtifactFetchError, UnreadableArchiveError, UnsafeArchiveError } from './archive-errors';
import type { ArtifactConfig } from './artifact-config';
import { ARTIFACT_TOO_LARGE, artifactFinding, INTEGRITY_MISMATCH, NO_PUBLISHED_DIGEST, TEXT_BUDGET_EXHAUSTED, UNREADABLE_ARCHIVE, UNSAFE_ARCHIVE, WEAK_DIGEST } from './artifact-rules';
import type { CollectedFiles, StripRule } from './file-collector';
import type { ArtifactEcosystem, FetchedArtifact } from './package-contents';
import { TarGzUnpacker } from './tar-unpacker';
import { unpackZipFile } from './zip-unpacker';

export interface ArtifactFetchDeps {
  fetcher: PackageFetcher;
  config: ArtifactConfig;
  /** Aborts a download between chunks (the scan job's timeout); metadata requests are bounded by the request timeout. */
  signal?: AbortSignal;
}

/** A digest the registry or server.json published for the artifact, as lower-case hex. */
export interface ExpectedDigest {
  algorithm: 'sha512' | 'sha384' | 'sha256' | 'sha1';
  hex: string;
  /** Where it came from, for messages: `dist.integrity`, `digests.sha256`, `fileSha256`. */
  source: string;
}

export type ArchiveFormat = 'tar.gz' | 'zip';

export interface DownloadPlan {
  url: string;
  format: ArchiveFormat;
  strip: StripRule;
  expected: ExpectedDigest | null;
  /** Why no digest is expected, for the TP-ART-004 message (when `expected` is null). */
  missingDigest?: string;
  ecosystem: ArtifactEcosystem;
  identifier: string;
  version: string;
}

/**
 * Downloads one artifact, hashing every byte as it arrives, and unpacks it safely: tar.gz as a
 * stream alongside the hash, zip from a temp file written while hashing (removed whatever happens).
 * Nothing is analysed unless the digest matched. An unsafe archive stops the download at once;
 * an unreadable one is still hashed to the end, so tampering is reported as such.
 */
export async function downloadArtifact(plan: DownloadPlan, deps: ArtifactFetchDeps): Promise<FetchedArtifact> {
  const label = fileLabel(plan.url);
  const hash = createHash(plan.expected?.algorithm ?? 'sha256');
  let collected: CollectedFiles;
  try {
    const unpacked = plan.format === 'tar.gz' ? await streamTarGz(plan, deps, hash) : await viaTempFile(plan, deps, hash);
    const mismatch = integrityFinding(plan, hash.digest('hex'), label);
    if (mismatch) return { contents: null, findings: [mismatch], integrityVerified: false };
    if (unpacked instanceof Error) throw unpacked;
    collected = unpacked;
  } catch (error) {
    if (error instanceof UnsafeArchiveError) {
      return { contents: null, findings: [unsafeFinding(error, label)], integrityVerified: false };
    }
    if (error instanceof UnreadableArchiveError) {
      return { contents: null, findings: [...digestFindings(plan, label), unreadableFinding(error, label)], integrityVerified: false };
    }
    if (error instanceof FetchError && error.kind === 'too-large') {
      const finding = artifactFinding(ARTIFACT_TOO_LARGE, { location: label, evidence: describeUrl(plan.url), message: `${label} is larger than the ${deps.config.maxDownloadBytes}-byte download limit; it was not scanned` });
      return { contents: null, findings: [finding], integrityVerified: false };
    }
    throw asFetchFailure(error);
  }
  const findings = [...digestFindings(plan, label), ...textBudgetFindings(collected, deps.config.limits.maxTotalTextBytes)];
  return {
    contents: { ecosystem: plan.ecosystem, identifier: plan.identifier, version: plan.version, files: collected.files },
    findings,
    integrityVerified: plan.expected !== null && plan.expected.algorithm !== 'sha1',
  };
}

/** Tar.gz: hash and unpack the same chunks; returns the unpacker's failure when only hashing went on. */
async function streamTarGz(plan: DownloadPlan, deps: ArtifactFetchDeps, hash: ReturnType<typeof createHash>): Promise<CollectedFiles | Error> {
  const unpacker = new TarGzUnpacker(deps.config.limits, plan.strip);
  let failure: Error | null = null;
  try {
    await deps.fetcher.get({
      url: plan.url,
      maxBytes: deps.config.maxDownloadBytes,
      onChunk: async (chunk) => {
        deps.signal?.throwIfAborted();
        hash.update(chunk);
        if (failure) return;
        try {
          await unpacker.write(chunk);
        } catch (error) {
          failure = error as Error;
          if (error instanceof UnsafeArchiveError) throw error; // stop the download now
        }
      },
    });
  } catch (error) {
    unpacker.abort();
    throw error;
  }
  if (failure) {
    unpacker.abort();
    return failure;
  }
  try {
    return await unpacker.end();
  } catch (error) {
    return error as Error;
  }
}

/** Zip: written to a fresh temp folder while hashed, unpacked only if the digest matches. */
async function viaTempFile(plan: DownloadPlan, deps: ArtifactFetchDeps, hash: ReturnType<typeof createHash>): Promise<CollectedFiles | Error> {
  const dir = await mkdtemp(path.join(deps.config.tempDir, 'toolport-artifact-'));
  try {
    const file = path.join(dir, 'artifact.zip');
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    let writeError: Error | null = null;
    out.on('error', (error) => (writeError = error));
    try {
      await deps.fetcher.get({
        url: plan.url,
        maxBytes: deps.config.maxDownloadBytes,
        onChunk: async (chunk) => {
          deps.signal?.throwIfAborted();
          hash.update(chunk);
          if (writeError) throw new ArtifactFetchError(`could not write the download to ${dir}: ${String(writeError)}`, true, 'local-io');
          if (!out.write(chunk)) await once(out, 'drain');
        },
      });
    } finally {
      // An errored stream has already closed itself: waiting for 'close' again would hang.
      if (!out.closed) {
        const closed = once(out, 'close').catch(() => undefined);
        out.end();
        await closed;
      }
    }
    if (writeError) throw new ArtifactFetchError(`could not write the download to ${dir}: ${String(writeError)}`, true, 'local-io');
    // Hash first: a tampered zip is never parsed. The digest is read again by the caller.
    const digest = hash.copy().digest('hex');
    if (plan.expected && digest !== plan.expected.hex) return new UnreadableArchiveError('not unpacked: digest mismatch');
    try {
      return await unpackZipFile(file, deps.config.limits, plan.strip);
    } catch (error) {
      if (error instanceof UnsafeArchiveError) throw error;
      return error as Error;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function integrityFinding(plan: DownloadPlan, actualHex: string, label: string): Finding | null {
  const expected = plan.expected;
  if (!expected || expected.hex === actualHex) return null;
  return artifactFinding(INTEGRITY_MISMATCH, {
    location: label,
    evidence: `${expected.algorithm} expected ${expected.hex.slice(0, 16)}…, got ${actualHex.slice(0, 16)}…`,
    message: `${label} does not match its published ${expected.source}: ${expected.algorithm} expected ${expected.hex}, downloaded bytes hash to ${actualHex}`,
  });
}

function digestFindings(plan: DownloadPlan, label: string): Finding[] {
  if (plan.expected === null) {
    return [artifactFinding(NO_PUBLISHED_DIGEST, { location: label, evidence: describeUrl(plan.url), message: plan.missingDigest ?? `${label} has no published digest; its integrity is not verified` })];
  }
  if (plan.expected.algorithm === 'sha1') {
    return [artifactFinding(WEAK_DIGEST, { location: label, evidence: `${plan.expected.source} sha1 ${plan.expected.hex}`, message: `${label} matched its ${plan.expected.source}, but only a SHA-1 digest was published: integrity not counted as verified` })];
  }
  return [];
}

export function unreadableFinding(error: UnreadableArchiveError, label: string): Finding {
  return artifactFinding(UNREADABLE_ARCHIVE, { location: error.entry || label, evidence: error.detail, message: `${label} could not be unpacked: ${error.message}`, confidence: 'medium' });
}

export function textBudgetFindings(collected: CollectedFiles, maxTotalTextBytes: number): Finding[] {
  const skipped = collected.textBudgetSkipped;
  if (skipped.length === 0) return [];
  return [
    artifactFinding(TEXT_BUDGET_EXHAUSTED, {
      location: skipped[0]!,
      evidence: skipped.slice(0, 5).join(', '),
      message: `${skipped.length} text file(s) past the ${maxTotalTextBytes}-byte text budget were not analysed`,
    }),
  ];
}

export function unsafeFinding(error: UnsafeArchiveError, label: string): Finding {
  return artifactFinding(UNSAFE_ARCHIVE, {
    location: error.entry || label,
    evidence: error.entry || error.reason,
    message: `${label} is unsafe to unpack: ${error.reason}${error.entry ? ` (entry '${error.entry}')` : ''}`,
  });
}

/** A FetchError as the scan job sees it: retryable or not. */
export function asFetchFailure(error: unknown): unknown {
  if (error instanceof FetchError) return new ArtifactFetchError(error.message, error.transient, error.kind);
  return error;
}

function fileLabel(url: string): string {
  try {
    const segments = new URL(url).pathname.split('/').filter(Boolean);
    return decodeURIComponent(segments[segments.length - 1] ?? url);
  } catch {
    return url;
  }
}
