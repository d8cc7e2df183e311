import { FIELD_BITS } from './posting-lists';
import { type FieldSpec, type IndexedDocument, TextIndex } from './text-index';

interface Doc extends IndexedDocument {
  name: string;
  server: string;
}

const FIELDS: Array<FieldSpec<Doc>> = [{ name: 'name', weight: 10, read: (d) => d.name }];

const doc = (id: string, name = 'list branches'): Doc => ({
  id,
  name,
  server: id.split('#')[0]!,
  namespace: 'io.example',
  trustLevel: null,
  health: null,
  approved: true,
  status: 'active',
  isLatest: true,
});

/** Live documents as the ranking's last tie-breaker orders them (SlotAttributes.order). */
function idOrder(index: TextIndex<Doc>): string[] {
  const slots: number[] = [];
  for (let slot = 0; slot < index.next; slot++) if (index.docs[slot] !== undefined) slots.push(slot);
  return slots.sort((a, b) => index.attributes.order[a]! - index.attributes.order[b]!).map((slot) => index.docs[slot]!.id);
}

describe('TextIndex compaction and id order', () => {
  it('keeps every live document findable and placed in id order through removals, re-indexing and compaction', () => {
    const index = new TextIndex<Doc>({ fields: FIELDS, groupOf: (d) => d.server });
    const model = new Set<string>();
    const upsert = (d: Doc) => {
      index.upsert(d);
      model.add(d.id);
    };
    const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String((i * 7919) % n).padStart(4, '0')}#t`);
    for (const id of ids(300, 's')) upsert(doc(id));
    index.compactNow();
    // New documents sort between the placed ones; some placed ones go, some change text (new slot).
    for (const id of ids(200, 'r')) upsert(doc(id));
    for (const id of ids(200, 't')) upsert(doc(id));
    for (let i = 0; i < 300; i += 3) {
      index.remove(`s${String(i).padStart(4, '0')}#t`);
      model.delete(`s${String(i).padStart(4, '0')}#t`);
    }
    for (let i = 1; i < 300; i += 5) upsert(doc(`s${String(i).padStart(4, '0')}#t`, 'merge pods'));
    index.removeGroup('t0007');
    model.delete('t0007#t');
    const live = [...model].sort();

    index.compactNow();
    expect(index.live).toBe(live.length);
    expect(index.next).toBe(live.length);
    expect(idOrder(index)).toEqual(live);
    for (const id of live) expect(index.get(id)?.id).toBe(id);
    // Groups were renumbered with the slots: removing one removes exactly its documents.
    index.removeGroup('r0001');
    expect(index.get('r0001#t')).toBeUndefined();
    expect(index.live).toBe(live.length - 1);

    // Placing without compaction (only new documents): the same order rule.
    for (const id of ['a0000#t', 's0150#x', 'zz#t']) index.upsert(doc(id));
    index.placeInIdOrder();
    const before = [...live.filter((id) => id !== 'r0001#t'), 'a0000#t', 's0150#x', 'zz#t'].sort();
    expect(idOrder(index)).toEqual(before);

    // A compaction dropping early documents while a new one sorts last: every position moves.
    index.remove('a0000#t');
    index.remove('r0002#t');
    index.upsert(doc('zzz#t'));
    index.compactNow();
    expect(idOrder(index)).toEqual([...before.filter((id) => id !== 'a0000#t' && id !== 'r0002#t'), 'zzz#t']);
  });

  it('drops removed documents from the lists in a background tidy without renumbering slots while holes are few', () => {
    const index = new TextIndex<Doc>({ fields: FIELDS, groupOf: (d) => d.server });
    for (let i = 0; i < 400; i++) index.upsert(doc(`s${String(i).padStart(4, '0')}#t`, i % 2 === 0 ? 'list branches' : 'merge pods'));
    index.compactNow();
    index.remove('s0003#t');
    index.removeGroup('s0010');
    index.upsert(doc('s0020#t', 'list pods'));
    index.upsert(doc('a#t'));
    const slots = index.next;
    const steps = index.tidySteps();
    while (!steps.next().done);
    expect(index.untidy).toBe(false);
    // Holes kept: no document moved, the lists hold no removed document.
    expect(index.next).toBe(slots);
    expect(index.live).toBe(400 - 2 + 1);
    expect(index.postings.deltaSize).toBe(0);
    const listed = new Set<number>();
    for (let i = 0; i < index.postings.baseData.length; i++) listed.add(index.postings.baseData[i]! >>> FIELD_BITS);
    for (const slot of listed) expect(index.docs[slot]).toBeDefined();
    expect(idOrder(index)).toEqual(
      ['a#t', ...Array.from({ length: 400 }, (_, i) => `s${String(i).padStart(4, '0')}#t`).filter((id) => id !== 's0003#t' && id !== 's0010#t')].sort(),
    );
    index.removeGroup('s0011');
    expect(index.get('s0011#t')).toBeUndefined();
    expect(index.get('s0012#t')?.id).toBe('s0012#t');
  });

  it('keeps id order when new documents keep landing in the same gap, beyond what halving a float allows', () => {
    const index = new TextIndex<Doc>({ fields: FIELDS });
    index.upsert(doc('a'));
    index.upsert(doc('b'));
    index.placeInIdOrder();
    // 'az' < 'azz' < 'azzz' < … < 'b': each lands between the previous one and 'b', halving that gap.
    const ids = ['a', 'b'];
    for (let i = 1; i <= 80; i++) {
      const id = `a${'z'.repeat(i)}`;
      ids.push(id);
      index.upsert(doc(id));
      index.placeInIdOrder();
    }
    expect(idOrder(index)).toEqual([...ids].sort());
    const numbers = idOrder(index).map((docId) => index.attributes.order[index.docs.findIndex((d) => d?.id === docId)]!);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]!).toBeGreaterThan(numbers[i - 1]!);
  });
});
