import { EditOutlined, PlusOutlined, ReloadOutlined, SwapOutlined } from '@ant-design/icons';
import { App as AntApp, Badge, Button, Card, Flex, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiProblem } from '../../api/problem';
import type { Role, User } from '../../api/types';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { canWrite, useSession } from '../auth';
import { useRoleNames } from '../roles';
import { useTeams } from '../teams';
import { useSetUserActive, useUserList, type UserFilters } from './api';
import { entityLabel, type OwnedCounts } from './handover';
import { HandoverWizard } from './HandoverWizard';
import { UserFormModal } from './UserFormModal';

type Status = 'active' | 'inactive';

export default function UserList() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useSession();
  const writable = canWrite(me, 'settings');
  const roleNames = useRoleNames();
  const teams = useTeams();
  const setActive = useSetUserActive();

  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const [status, setStatus] = useState<Status | undefined>();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [handingOver, setHandingOver] = useState<{ user: User; owned?: OwnedCounts; deactivate: boolean } | null>(null);
  const { modal } = AntApp.useApp();
  const mayHandOver = me.user.role === 'owner' || me.user.role === 'admin' || me.user.role === 'manager';

  /** A deactivation refused because the user still owns records leads into the handover. */
  const offerHandover = (user: User, owned: OwnedCounts) =>
    void modal.confirm({
      title: t('handover.ownsTitle', { name: user.name }),
      content: t('handover.ownsText', {
        what: Object.entries(owned)
          .map(([entity, n]) => entityLabel(entity, n))
          .join(t('common.listSeparator')),
      }),
      okText: t('handover.start'),
      cancelText: t('common.cancel'),
      onOk: () => setHandingOver({ user, owned, deactivate: true }),
    });

  const filters: UserFilters = {
    q: q || undefined,
    role,
    is_active: status === undefined ? undefined : status === 'active',
  };
  const list = useUserList(filters);
  const users = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const teamName = useMemo(() => new Map((teams.data ?? []).map((team) => [team.id, team.name])), [teams.data]);

  const toggleActive = (user: User) => {
    const active = !user.is_active;
    setActive.mutate(
      { id: user.id, active },
      {
        onSuccess: () =>
          void message.success(t(active ? 'users.activated' : 'users.deactivated', { name: user.name })),
        onError: (error) => {
          if (isApiProblem(error) && error.code === 'owns_records' && mayHandOver) {
            const owned = error.extensions.owned;
            offerHandover(user, owned && typeof owned === 'object' ? (owned as OwnedCounts) : {});
          } else {
            void message.error(problemMessage(error));
          }
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-create">
              {t('users.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            onSearch={(value) => setQ(value.trim())}
            style={{ width: 320 }}
            enterButton={t('common.search')}
          />
          <Select<Role>
            allowClear
            placeholder={t('users.anyRole')}
            value={role}
            onChange={setRole}
            options={roleNames.map((name) => ({ value: name, label: t(`roles.${name}`) }))}
            style={{ width: 160 }}
          />
          <Select<Status>
            allowClear
            placeholder={t('users.anyStatus')}
            value={status}
            onChange={setStatus}
            options={[
              { value: 'active', label: t('users.active') },
              { value: 'inactive', label: t('users.inactive') },
            ]}
            style={{ width: 140 }}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
        </Flex>
        {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
        <Table<User>
          rowKey="id"
          dataSource={users}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: 900 }}
          data-testid="users-table"
          columns={[
            {
              title: t('users.name'),
              dataIndex: 'name',
              width: 200,
              render: (name: string, user) => (
                <Space size={6}>
                  <Typography.Text strong>{name}</Typography.Text>
                  {user.id === me.user.id && (
                    <Tag bordered={false} color="gold">
                      {t('users.you')}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: t('users.email'), dataIndex: 'email', width: 260, ellipsis: { showTitle: true } },
            {
              title: t('users.role'),
              dataIndex: 'role',
              render: (value: Role) => <Tag bordered={false}>{t(`roles.${value}`)}</Tag>,
            },
            {
              title: t('users.team'),
              dataIndex: 'team_id',
              render: (id: string | null) =>
                id ? (
                  (teamName.get(id) ?? id)
                ) : (
                  <Typography.Text type="secondary">{t('users.noTeam')}</Typography.Text>
                ),
            },
            {
              title: t('users.status'),
              dataIndex: 'is_active',
              render: (active: boolean) =>
                active ? (
                  <Badge status="success" text={t('users.active')} />
                ) : (
                  <Badge status="default" text={t('users.inactive')} />
                ),
            },
            {
              title: t('users.lastLogin'),
              dataIndex: 'last_login_at',
              width: 160,
              render: (value: string | null) =>
                formatDateTime(value) ?? <Typography.Text type="secondary">{t('common.never')}</Typography.Text>,
            },
            ...(writable
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    fixed: 'right' as const,
                    width: 240,
                    render: (_: unknown, user: User) => (
                      <Space size={0}>
                        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(user)}>
                          {t('common.edit')}
                        </Button>
                        {mayHandOver && user.id !== me.user.id && (
                          <Button
                            type="link"
                            size="small"
                            icon={<SwapOutlined />}
                            onClick={() => setHandingOver({ user, deactivate: false })}
                            data-testid="user-handover"
                          >
                            {t('handover.button')}
                          </Button>
                        )}
                        <Popconfirm
                          title={t(user.is_active ? 'users.deactivateConfirm' : 'users.activateConfirm', {
                            name: user.name,
                          })}
                          okText={t('common.confirm')}
                          cancelText={t('common.cancel')}
                          okButtonProps={{ danger: user.is_active }}
                          onConfirm={() => toggleActive(user)}
                          disabled={user.id === me.user.id}
                        >
                          <Button
                            type="link"
                            size="small"
                            danger={user.is_active}
                            disabled={user.id === me.user.id}
                          >
                            {user.is_active ? t('users.deactivate') : t('users.activate')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          shown={users.length}
        />
      </Card>
      {editing !== null && (
        <UserFormModal user={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />
      )}
      {handingOver !== null && (
        <HandoverWizard
          user={handingOver.user}
          owned={handingOver.owned}
          offerDeactivate={handingOver.deactivate}
          onClose={() => setHandingOver(null)}
        />
      )}
    </>
  );
}
