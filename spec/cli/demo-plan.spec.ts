import { expect } from 'chai';
import { checkDemo, demoPlan } from '../../lib/cli/demo-plan.js';

describe('cli/demo-plan', () => {
  it('makes one annotation per item plus the bad ones, spread through the upload', () => {
    const plan = demoPlan(3000, 5);
    expect(plan.items).to.have.length(3000);
    expect(plan.annotations).to.have.length(3005);
    expect(plan.badReferenceIds).to.deep.equal(['missing_001', 'missing_002', 'missing_003', 'missing_004', 'missing_005']);
    const itemRefs = new Set(plan.items.map((i) => i.reference_id));
    expect(itemRefs.size).to.equal(3000);
    const missing = plan.annotations.map((a, i) => [a.reference_id, i] as const).filter(([r]) => !itemRefs.has(r));
    expect(missing.map(([r]) => r)).to.deep.equal(plan.badReferenceIds);
    expect(missing.map(([, i]) => i)).to.deep.equal([500, 1001, 1502, 2003, 2504]);
    expect(new Set(plan.annotations.map((a) => a.annotation_id)).size).to.equal(3005);
  });

  it('is deterministic and handles tiny sizes', () => {
    expect(demoPlan(10, 2)).to.deep.equal(demoPlan(10, 2));
    const tiny = demoPlan(1, 1);
    expect(tiny.annotations.map((a) => a.reference_id)).to.deep.equal(['missing_001', 'img_0001']);
    expect(demoPlan(5, 0).annotations).to.have.length(5);
  });

  it('checkDemo is as designed only when exactly the planted ids were reported', () => {
    expect(checkDemo(['a', 'b'], ['b', 'a']).asDesigned).to.equal(true);
    expect(checkDemo(['a', 'b'], ['a', 'a', 'b']).asDesigned).to.equal(true);
    expect(checkDemo(['a', 'b'], ['a'])).to.deep.include({ unreported: ['b'], asDesigned: false });
    expect(checkDemo(['a'], ['a', 'c'])).to.deep.include({ unexpected: ['c'], asDesigned: false });
    expect(checkDemo(['a'], ['a', undefined])).to.deep.include({ unattributed: 1, asDesigned: false });
    expect(checkDemo([], []).asDesigned).to.equal(true);
  });
});
