import { describeFigures, detectionFigures } from './eval-metrics';

describe('detectionFigures', () => {
  it('counts the confusion matrix and derives precision, recall and false-positive rate', () => {
    const figures = detectionFigures([
      { flagged: true, shouldFlag: true },
      { flagged: true, shouldFlag: true },
      { flagged: true, shouldFlag: false },
      { flagged: false, shouldFlag: true },
      { flagged: false, shouldFlag: false },
      { flagged: false, shouldFlag: false },
      { flagged: false, shouldFlag: false },
    ]);
    expect(figures).toEqual({
      items: 7,
      truePositives: 2,
      falsePositives: 1,
      falseNegatives: 1,
      trueNegatives: 3,
      precision: 2 / 3,
      recall: 2 / 3,
      falsePositiveRate: 1 / 4,
    });
    expect(describeFigures(figures)).toBe('precision 0.667, recall 0.667, FPR 0.250 (tp 2, fp 1, fn 1, tn 3, n 7)');
  });

  it('reports a ratio with an empty denominator as null rather than NaN', () => {
    expect(detectionFigures([{ flagged: false, shouldFlag: false }])).toMatchObject({ precision: null, recall: null, falsePositiveRate: 0 });
    expect(detectionFigures([])).toMatchObject({ items: 0, precision: null, recall: null, falsePositiveRate: null });
    expect(describeFigures(detectionFigures([]))).toContain('precision n/a');
  });
});
