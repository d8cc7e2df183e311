import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { collectIssues, createAjv, McpToolSchema } from '@toolport/contracts';

/**
 * The evaluation corpus format of issue 5: up to three JSON Lines files in one directory.
 * `path` entries are relative to that directory (absolute paths are taken as they are).
 */
const Label = Type.Union([Type.Literal('malicious'), Type.Literal('benign')]);
const Id = Type.String({ minLength: 1, maxLength: 200 });

const ToolLine = Type.Object({ id: Id, label: Label, tool: McpToolSchema });
const PackageLine = Type.Object({
  id: Id,
  path: Type.String({ minLength: 1 }),
  ecosystem: Type.Union([Type.Literal('npm'), Type.Literal('pypi'), Type.Literal('mcpb')]),
  label: Label,
  should_flag: Type.Boolean(),
});
const ArchiveLine = Type.Object({ id: Id, path: Type.String({ minLength: 1 }), label: Label, should_flag: Type.Boolean() });

export type ToolItem = Static<typeof ToolLine> & { set: 'tools' };
export type PackageItem = Static<typeof PackageLine> & { set: 'packages' };
export type ArchiveItem = Static<typeof ArchiveLine> & { set: 'archives' };
export type CorpusItem = ToolItem | PackageItem | ArchiveItem;
export type CorpusSet = CorpusItem['set'];

export const CORPUS_FILES: Record<CorpusSet, string> = { tools: 'tools.jsonl', packages: 'packages.jsonl', archives: 'archives.jsonl' };

/** Whether the item should be flagged: tools by label, packages and archives by `should_flag`. */
export function shouldFlag(item: CorpusItem): boolean {
  return item.set === 'tools' ? item.label === 'malicious' : item.should_flag;
}

/** A corpus that cannot be read, with every problem found (file:line: what). */
export class CorpusError extends Error {
  constructor(readonly problems: string[]) {
    super(`the corpus cannot be used:\n  ${problems.join('\n  ')}`);
    this.name = 'CorpusError';
  }
}

const ajv = createAjv();
const validators = { tools: ajv.compile(ToolLine), packages: ajv.compile(PackageLine), archives: ajv.compile(ArchiveLine) };

/**
 * Reads every corpus file present in `dir` (at least one must be). Lines are validated whole;
 * ids are unique per file; `path`s must exist. All problems are reported at once.
 */
export function readCorpus(dir: string): CorpusItem[] {
  const problems: string[] = [];
  const items: CorpusItem[] = [];
  const present = (Object.keys(CORPUS_FILES) as CorpusSet[]).filter((set) => existsSync(join(dir, CORPUS_FILES[set])));
  if (present.length === 0) throw new CorpusError([`${dir}: none of ${Object.values(CORPUS_FILES).join(', ')} is there`]);
  for (const set of present) {
    const file = CORPUS_FILES[set];
    const seen = new Set<string>();
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((text, index) => {
        const where = `${file}:${index + 1}`;
        if (text.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          problems.push(`${where}: not JSON (${(error as Error).message})`);
          return;
        }
        const issues = collectIssues(validators[set], value);
        if (issues.length > 0) {
          problems.push(...issues.map((issue) => `${where}: ${issue.path === '' ? 'the line' : issue.path} ${issue.message}`));
          return;
        }
        const item = { ...(value as object), set } as CorpusItem;
        if (seen.has(item.id)) problems.push(`${where}: id ${JSON.stringify(item.id)} appears twice`);
        seen.add(item.id);
        if (item.set !== 'tools') {
          const path = isAbsolute(item.path) ? item.path : resolve(dir, item.path);
          if (!existsSync(path)) problems.push(`${where}: path ${item.path} does not exist`);
          item.path = path;
        }
        items.push(item);
      });
  }
  if (problems.length > 0) throw new CorpusError(problems);
  return items;
}
