/**
 * Bounds on what unpacking one archive (or reading one package directory) may cost. Memory stays
 * bounded by `maxTotalTextBytes` (text held for the analyzers) plus stream buffers: inflated data
 * beyond the text caps is counted and dropped, never held.
 */
export interface UnpackLimits {
  /** Sum of inflated entry sizes (and, for tar, the inflated tar stream itself). */
  maxInflatedBytes: number;
  /** Entries of any kind, directories included. */
  maxEntries: number;
  /** Inflated size of one entry. */
  maxEntryBytes: number;
  /** Inflated bytes per compressed byte over the whole archive, checked once past `ratioFloorBytes`. */
  maxCompressionRatio: number;
  /** Inflated bytes below which the ratio is not checked (tiny archives of empty files compress absurdly well). */
  ratioFloorBytes: number;
  /** A file larger than this is listed with `text: null`. */
  maxTextBytes: number;
  /** Text held for the whole package; files past it are listed with `text: null` (and a TP-ART-008 finding). */
  maxTotalTextBytes: number;
}

const MIB = 1024 * 1024;

/**
 * Defaults: ten times the largest MCP server tarballs seen on npm (a few MB inflated), and a
 * ratio well above real packages (JS and Python text compresses 3-10x; tar headers of empty files
 * up to ~60x) but far below a bomb (zeros compress ~1000x).
 */
export const DEFAULT_UNPACK_LIMITS: Readonly<UnpackLimits> = Object.freeze({
  maxInflatedBytes: 200 * MIB,
  maxEntries: 20_000,
  maxEntryBytes: 64 * MIB,
  maxCompressionRatio: 100,
  ratioFloorBytes: 2 * MIB,
  maxTextBytes: 1 * MIB,
  maxTotalTextBytes: 64 * MIB,
});

export function unpackLimits(overrides: Partial<UnpackLimits> = {}): UnpackLimits {
  return { ...DEFAULT_UNPACK_LIMITS, ...overrides };
}
