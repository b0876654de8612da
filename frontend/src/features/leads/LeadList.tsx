import { AppstoreOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Segmented } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { canWrite, useSession } from '../auth';
import { leadKeys, useLeadList } from './api';
import { ConvertModal } from './ConvertModal';
import type { LeadFilters } from './filters';
import { LeadBoard } from './LeadBoard';
import { LeadFilterBar } from './LeadFilterBar';
import { LeadFormDrawer } from './LeadFormDrawer';
import { LeadTable } from './LeadTable';
import type { Lead } from './types';

type View = 'list' | 'board';

const STORAGE_KEY = 'rapport.leads.view';

function storedView(): View {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) === 'board' ? 'board' : 'list';
  } catch {
    return 'list';
  }
}

function LeadListView({ filters, onSort }: { filters: LeadFilters; onSort: (sort: LeadFilters['sort']) => void }) {
  const list = useLeadList(filters);
  const leads = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  return (
    <>
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      <LeadTable
        leads={leads}
        loading={list.isPending || (list.isFetching && !list.isFetchingNextPage && list.isPlaceholderData)}
        sort={filters.sort}
        onSortChange={onSort}
      />
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
        shown={leads.length}
      />
    </>
  );
}

/** 线索: everything that may become a customer, as a filtered list or a status board. */
export default function LeadList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSession();
  const writable = canWrite(me, 'leads');
  const [view, setViewState] = useState<View>(storedView);
  const [filters, setFilters] = useState<LeadFilters>({});
  const [creating, setCreating] = useState(false);
  const [converting, setConverting] = useState<Lead | null>(null);
  const queryClient = useQueryClient();

  const setView = (next: View) => {
    setViewState(next);
    try {
      window.sessionStorage.setItem(STORAGE_KEY, next);
    } catch {
      // The choice then lasts while the page is open.
    }
  };

  return (
    <>
      <PageHeader
        title={t('leads.title')}
        description={t('leads.description')}
        extra={
          <>
            <Segmented<View>
              value={view}
              onChange={setView}
              options={[
                { value: 'list', icon: <UnorderedListOutlined />, label: t('leads.views.list') },
                { value: 'board', icon: <AppstoreOutlined />, label: t('leads.views.board') },
              ]}
              data-testid="lead-view"
            />
            {writable && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="lead-create">
                {t('leads.create')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <LeadFilterBar
          filters={filters}
          onChange={setFilters}
          showStatus={view === 'list'}
          onRefresh={() => void queryClient.invalidateQueries({ queryKey: leadKeys.lists() })}
        />
        {view === 'list' ? (
          <LeadListView filters={filters} onSort={(sort) => setFilters({ ...filters, sort })} />
        ) : (
          <LeadBoard filters={{ ...filters, status: undefined }} writable={writable} onConvert={setConverting} />
        )}
      </Card>
      {creating && <LeadFormDrawer onClose={() => setCreating(false)} onSaved={(lead) => void navigate(`/leads/${lead.id}`)} />}
      {converting && (
        <ConvertModal
          lead={converting}
          onClose={() => setConverting(null)}
          onConverted={() => setConverting(null)}
        />
      )}
    </>
  );
}
