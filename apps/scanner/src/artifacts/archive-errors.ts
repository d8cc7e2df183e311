/** An archive the scanner refuses to unpack: becomes a TP-ART-002 finding naming `entry`. */
export class UnsafeArchiveError extends Error {
  constructor(
    /** The offending entry's name as the archive spells it ('' for whole-archive limits). */
    readonly entry: string,
    readonly reason: string,
  ) {
    super(entry ? `${reason}: ${entry}` : reason);
    this.name = 'UnsafeArchiveError';
  }
}

/** An archive that cannot be parsed at all: becomes a TP-ART-003 finding. */
export class UnreadableArchiveError extends Error {
  constructor(
    readonly detail: string,
    readonly entry = '',
  ) {
    super(entry ? `${detail} (at ${entry})` : detail);
    this.name = 'UnreadableArchiveError';
  }
}

/**
 * A fetch that produced no verdict. `retryable` says whether trying again later may succeed
 * (5xx, 429, timeouts, refused connections) or not (404, unauthorized, malformed metadata): the
 * scan job retries the first with backoff and records the second as a non-retryable ScanFailed.
 */
export class ArtifactFetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** Short machine-readable cause: a FetchError kind ('not-found', 'server-error'...) or 'invalid-metadata', 'no-version'. */
    readonly kind: string,
  ) {
    super(message);
    this.name = 'ArtifactFetchError';
  }
}
