import { ApartmentOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Empty, Flex, Popconfirm, Skeleton, Tooltip, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Team } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { problemMessage } from '../../lib/problems';
import { canWrite, useSession } from '../auth';
import { buildTeamTree, useDeleteTeam, useTeams, type TeamNode } from './api';
import { TeamFormModal, type TeamFormTarget } from './TeamFormModal';

interface TeamDataNode extends DataNode {
  team: Team;
  children: TeamDataNode[];
}

function toDataNodes(nodes: TeamNode[]): TeamDataNode[] {
  return nodes.map((node) => ({
    key: node.key,
    team: node.team,
    title: node.team.name,
    children: toDataNodes(node.children),
  }));
}

export default function TeamTree() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const writable = canWrite(me, 'settings');
  const teams = useTeams();
  const remove = useDeleteTeam();
  const [target, setTarget] = useState<TeamFormTarget | null>(null);

  const treeData = useMemo(
    () => toDataNodes(buildTeamTree(teams.data ?? [], i18n.language)),
    [teams.data, i18n.language],
  );

  const onDelete = (team: Team) => {
    remove.mutate({ id: team.id, version: team.version }, {
      onSuccess: () => void message.success(t('teams.deleted')),
      // 409 team_not_empty arrives here and is shown in the user's language.
      onError: (error) => void message.error(problemMessage(error)),
    });
  };

  const renderTitle = (node: TeamDataNode) => (
    <Flex justify="space-between" align="center" gap={16} style={{ minHeight: 32 }}>
      <span>
        <ApartmentOutlined style={{ color: '#8c8c8c', marginInlineEnd: 8 }} />
        {node.team.name}
      </span>
      {writable && (
        <Flex gap={2} onClick={(event) => event.stopPropagation()}>
          <Tooltip title={t('teams.createChild')}>
            <Button
              type="text"
              size="small"
              icon={<PlusOutlined />}
              aria-label={t('teams.createChild')}
              onClick={() => setTarget({ mode: 'create', parentId: node.team.id })}
            />
          </Tooltip>
          <Tooltip title={t('teams.rename')}>
            <Button
              type="text"
              size="small"
              icon={<EditOutlined />}
              aria-label={t('teams.rename')}
              onClick={() => setTarget({ mode: 'rename', team: node.team })}
            />
          </Tooltip>
          <Popconfirm
            title={t('teams.deleteConfirm', { name: node.team.name })}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => onDelete(node.team)}
          >
            <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('teams.delete')} />
          </Popconfirm>
        </Flex>
      )}
    </Flex>
  );

  return (
    <>
      <PageHeader
        title={t('teams.title')}
        description={t('teams.description')}
        extra={
          writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setTarget({ mode: 'create', parentId: null })}
              data-testid="team-create"
            >
              {t('teams.create')}
            </Button>
          )
        }
      />
      <Card>
        {teams.isError && <ProblemAlert error={teams.error} onRetry={() => void teams.refetch()} />}
        {teams.isPending ? (
          <Skeleton active />
        ) : treeData.length === 0 ? (
          <Empty description={<Typography.Text type="secondary">{t('teams.empty')}</Typography.Text>} />
        ) : (
          <Tree<TeamDataNode>
            blockNode
            showLine
            selectable={false}
            defaultExpandAll
            treeData={treeData}
            titleRender={renderTitle}
            style={{ maxWidth: 720 }}
          />
        )}
      </Card>
      {target && <TeamFormModal target={target} onClose={() => setTarget(null)} />}
    </>
  );
}
