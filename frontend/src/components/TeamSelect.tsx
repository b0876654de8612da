import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { buildTeamTree, useTeams, type TeamNode } from '../features/teams';

interface TreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

function toOptions(nodes: TeamNode[], disabledIds: ReadonlySet<string>, parentDisabled = false): TreeOption[] {
  return nodes.map((node) => {
    const disabled = parentDisabled || disabledIds.has(node.team.id);
    return {
      value: node.team.id,
      title: node.team.name,
      disabled,
      children: toOptions(node.children, disabledIds, disabled),
    };
  });
}

/** Picks a team from the tree. `exclude` (and its sub-teams) cannot be chosen: no cycles. */
export function TeamSelect({
  value,
  onChange,
  exclude,
  placeholder,
  id,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  exclude?: string;
  placeholder?: string;
  id?: string;
}) {
  const { i18n } = useTranslation();
  const teams = useTeams();
  const treeData = useMemo(
    () => toOptions(buildTeamTree(teams.data ?? [], i18n.language), new Set(exclude ? [exclude] : [])),
    [teams.data, exclude, i18n.language],
  );
  return (
    <TreeSelect<string | null>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      treeData={treeData}
      loading={teams.isPending}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      placeholder={placeholder}
      style={{ width: '100%' }}
    />
  );
}
