import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorpusError, readCorpus, shouldFlag } from './eval-corpus';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'eval-corpus-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tool = { name: 'echo', description: 'Echoes.', inputSchema: { type: 'object' } };
const lines = (...values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CorpusError) return error.problems;
    throw error;
  }
  throw new Error('expected a CorpusError');
}

describe('readCorpus', () => {
  it('reads the three sets, resolving paths against the corpus directory', () => {
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'bomb.tgz'), '');
    writeFileSync(join(dir, 'tools.jsonl'), lines({ id: 't1', label: 'malicious', tool }, '', { id: 't2', label: 'benign', tool }));
    writeFileSync(join(dir, 'packages.jsonl'), lines({ id: 'p1', path: 'pkg', ecosystem: 'npm', label: 'benign', should_flag: false }));
    writeFileSync(join(dir, 'archives.jsonl'), lines({ id: 'a1', path: 'bomb.tgz', label: 'malicious', should_flag: true }));
    const items = readCorpus(dir);
    expect(items.map((i) => `${i.set}/${i.id}/${shouldFlag(i)}`)).toEqual(['tools/t1/true', 'tools/t2/false', 'packages/p1/false', 'archives/a1/true']);
    expect(items[2]).toMatchObject({ path: join(dir, 'pkg'), ecosystem: 'npm' });
  });

  it('reports every bad line with its file and line number', () => {
    writeFileSync(
      join(dir, 'tools.jsonl'),
      lines({ id: 't1', label: 'bad', tool }, '{not json', { id: 't1', label: 'benign', tool }, { id: 't1', label: 'benign', tool }),
    );
    writeFileSync(join(dir, 'packages.jsonl'), lines({ id: 'p1', path: 'missing', ecosystem: 'cargo', label: 'benign', should_flag: false }, { id: 'p2', path: 'gone', ecosystem: 'npm', label: 'benign', should_flag: false }));
    const problems = problemsOf(() => readCorpus(dir));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tools\.jsonl:1: label /),
        expect.stringMatching(/^tools\.jsonl:2: not JSON/),
        'tools.jsonl:4: id "t1" appears twice',
        expect.stringMatching(/^packages\.jsonl:1: ecosystem /),
        'packages.jsonl:2: path gone does not exist',
      ]),
    );
  });

  it('refuses a directory without any corpus file', () => {
    expect(problemsOf(() => readCorpus(dir))[0]).toContain('none of tools.jsonl, packages.jsonl, archives.jsonl');
  });
});
