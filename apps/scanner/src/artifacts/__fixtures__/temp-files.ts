import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FetchedArtifact } from '../package-contents';

/** A temp folder for one test file; `cleanup` in afterAll. */
export function tempFolder(prefix: string): { dir: string; write(name: string, bytes: Buffer): string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `toolport-${prefix}-`));
  let counter = 0;
  return {
    dir,
    write(name, bytes) {
      const file = path.join(dir, `${(counter += 1)}-${name}`);
      writeFileSync(file, bytes);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The one critical unsafe-archive finding of a refused archive. */
export function refusalOf(result: FetchedArtifact): { ruleId: string; severity: string; location: string; message: string } {
  expect(result.contents).toBeNull();
  expect(result.findings).toHaveLength(1);
  const [finding] = result.findings;
  return { ruleId: finding!.ruleId, severity: finding!.severity, location: finding!.location, message: finding!.message };
}
