/** Nest injection token of the ScanEngine the worker, consumers and reconciler use. */
export const SCAN_ENGINE = Symbol.for('toolport.scanner.ScanEngine');
