import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricReplicas, type MetricSample } from './metric-replicas.js';

const ready = (...values: (number | undefined)[]): MetricSample[] =>
  values.map((value) => ({ ready: true, value }));
const starting = (...values: (number | undefined)[]): MetricSample[] =>
  values.map((value) => ({ ready: false, value }));

interface Row {
  label: string;
  samples: MetricSample[];
  target: number;
  current: number;
  cpu?: boolean;
  replicas: number;
  held?: 'tolerance' | 'direction';
}

// The first rows are the worked examples of the Kubernetes HPA documentation ("Algorithm details"):
// desiredReplicas = ceil[currentReplicas × (currentMetricValue / desiredMetricValue)].
const rows: Row[] = [
  {
    label: 'doc: 200m of a 100m target doubles',
    samples: ready(0.2, 0.2),
    target: 0.1,
    current: 2,
    replicas: 4,
  },
  {
    label: 'doc: 50m of a 100m target halves',
    samples: ready(0.05, 0.05, 0.05, 0.05),
    target: 0.1,
    current: 4,
    replicas: 2,
  },
  {
    label: 'doc: a ratio of 1.1 is within tolerance',
    samples: ready(55, 55, 55),
    target: 50,
    current: 3,
    replicas: 3,
    held: 'tolerance',
  },
  {
    label: 'doc: a ratio of 0.92 is within tolerance',
    samples: ready(46, 46, 46),
    target: 50,
    current: 3,
    replicas: 3,
    held: 'tolerance',
  },
  {
    label: 'doc: ceil rounds up (3 × 1.2 = 3.6 → 4)',
    samples: ready(60, 60, 60),
    target: 50,
    current: 3,
    replicas: 4,
  },
  {
    label: 'just beyond tolerance scales (3 × 1.12 = 3.36 → 4)',
    samples: ready(56, 56, 56),
    target: 50,
    current: 3,
    replicas: 4,
  },
  {
    label: 'ceil ignores float noise (10 × 0.7 is 7)',
    samples: ready(...Array<number>(10).fill(35)),
    target: 50,
    current: 10,
    replicas: 7,
  },
  {
    label: 'cpu 100% of a 50% target doubles',
    samples: ready(100),
    target: 50,
    current: 1,
    cpu: true,
    replicas: 2,
  },
  {
    label: 'the average of the instances is used',
    samples: ready(150, 50),
    target: 50,
    current: 2,
    replicas: 4,
  },
  {
    label: 'scale-up with unready cpu: they count at 0 % (2×100, 2×0 → ratio 1 → hold)',
    samples: [...ready(100, 100), ...starting(5, 5)],
    target: 50,
    current: 4,
    cpu: true,
    replicas: 4,
    held: 'tolerance',
  },
  {
    label: 'scale-up with unready cpu: [200, 200, 0] → ceil(3 × 2.67) = 8',
    samples: [...ready(200, 200), ...starting(90)],
    target: 50,
    current: 3,
    cpu: true,
    replicas: 8,
  },
  {
    label: 'scale-down ignores unready cpu: ceil(2 × 0.2) = 1',
    samples: [...ready(10, 10), ...starting(90, 90)],
    target: 50,
    current: 4,
    cpu: true,
    replicas: 1,
  },
  {
    label: 'unready instances count as measured for metrics other than cpu',
    samples: [...ready(20, 20), ...starting(0, 0)],
    target: 10,
    current: 4,
    replicas: 4,
    held: 'tolerance',
  },
  {
    label: 'scale-down with missing samples: they count at 100 % of target ([10,10,50,50] → 3)',
    samples: ready(10, 10, undefined, undefined),
    target: 50,
    current: 4,
    cpu: true,
    replicas: 3,
  },
  {
    label: 'scale-up with missing samples: they count at 0 % ([100,100,0,0] → hold)',
    samples: ready(100, 100, undefined, undefined),
    target: 50,
    current: 4,
    cpu: true,
    replicas: 4,
    held: 'tolerance',
  },
  {
    label: 'a starting instance without a sample is missing ([150, 0] → ceil(2 × 1.5) = 3)',
    samples: [...ready(150), ...starting(undefined)],
    target: 50,
    current: 2,
    cpu: true,
    replicas: 3,
  },
  {
    label: 'assumptions that reverse the direction hold ([60, 0] → 0.6 < 1 < 1.2)',
    samples: ready(60, undefined),
    target: 50,
    current: 2,
    cpu: true,
    replicas: 2,
    held: 'direction',
  },
  {
    label: 'a scale-down that the instance count would turn into a scale-up holds',
    samples: ready(10, undefined, undefined, undefined),
    target: 50,
    current: 2,
    cpu: true,
    replicas: 2,
    held: 'direction',
  },
];

describe('metricReplicas: the HPA formula', () => {
  for (const row of rows) {
    it(row.label, () => {
      const p = metricReplicas(row.samples, {
        target: row.target,
        current: row.current,
        tolerance: 0.1,
        setAsideUnready: row.cpu === true,
      });
      assert.ok(p);
      assert.equal(p.replicas, row.replicas);
      assert.equal(p.held, row.held);
    });
  }

  it('reports the measured average and the counts', () => {
    const p = metricReplicas([...ready(200, 200), ...starting(90), ...ready(undefined)], {
      target: 50,
      current: 4,
      tolerance: 0.1,
      setAsideUnready: true,
    });
    assert.deepEqual(
      { value: p?.value, measured: p?.measured, unready: p?.unready, missing: p?.missing },
      { value: 200, measured: 2, unready: 1, missing: 1 },
    );
    // [200, 200, 0 (unready), 0 (missing)] → 100 → ratio 2 → ceil(4 × 2) = 8
    assert.equal(p?.ratio, 2);
    assert.equal(p?.replicas, 8);
  });

  it('gives no proposal without a usable sample', () => {
    const rules = { target: 50, current: 2, tolerance: 0.1, setAsideUnready: true };
    assert.equal(metricReplicas([], rules), undefined);
    assert.equal(metricReplicas(ready(undefined, Number.NaN), rules), undefined);
    assert.equal(metricReplicas(starting(80, 80), rules), undefined, 'only unready cpu samples');
  });
});
