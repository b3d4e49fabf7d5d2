import { expect } from 'chai';
import { renderTable, type Column } from '../../lib/cli/table.js';

interface Row { id: string; n: number; note: string }

describe('cli/table', () => {
  const columns: Column<Row>[] = [
    { header: 'ID', cell: (r) => r.id },
    { header: 'COUNT', cell: (r) => String(r.n), alignRight: true },
    { header: 'NOTE', cell: (r) => r.note, maxWidth: 8 },
  ];

  it('pads columns to the widest cell, right-aligns numbers and trims trailing spaces', () => {
    expect(renderTable(columns, [{ id: 'job_1', n: 5, note: '' }, { id: 'j2', n: 12345, note: 'ok' }])).to.deep.equal([
      'ID     COUNT  NOTE',
      '-----  -----  ----',
      'job_1      5',
      'j2     12345  ok',
    ]);
  });

  it('cuts long cells with an ellipsis and counts code points, not UTF-16 units', () => {
    const lines = renderTable(columns, [{ id: '🚗🚗', n: 1, note: 'a very long note' }]);
    expect(lines[2]).to.equal('🚗🚗      1  a very …');
  });

  it('prints the header alone for no rows', () => {
    expect(renderTable(columns, [])).to.deep.equal(['ID  COUNT  NOTE', '--  -----  ----']);
  });
});
