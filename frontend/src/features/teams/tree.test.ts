import { describe, expect, it } from 'vitest';

import { makeTeam } from '../../test/fixtures';
import { buildTeamTree } from './api';

describe('buildTeamTree', () => {
  it('nests teams under their parents and keeps orphans as roots', () => {
    const tree = buildTeamTree([
      makeTeam({ id: 'b', name: 'B' }),
      makeTeam({ id: 'a', name: 'A' }),
      makeTeam({ id: 'a1', name: 'A1', parent_id: 'a' }),
      makeTeam({ id: 'a1x', name: 'A1x', parent_id: 'a1' }),
      makeTeam({ id: 'o', name: 'Orphan', parent_id: 'gone' }),
    ]);
    const shape = (nodes: ReturnType<typeof buildTeamTree>): unknown =>
      nodes.map((n) => (n.children.length ? { [n.team.name]: shape(n.children) } : n.team.name));
    expect(shape(tree)).toEqual([{ A: [{ A1: ['A1x'] }] }, 'B', 'Orphan']);
  });
});
