import { DatePicker, Form, Modal, Radio, Segmented } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { ProblemAlert } from '../../components/ProblemAlert';
import { TeamSelect } from '../../components/TeamSelect';
import { UserSelect } from '../../components/UserSelect';
import { useGenerateReport } from './api';
import { KINDS, reportPeriod } from './periods';
import type { ReportKind, ReportSubjectKind } from './types';

const PICKER = { daily: 'date', weekly: 'week', monthly: 'month' } as const;

/** Ask for a report now: a rep for themself (or a team, for managers), any started period. */
export function GenerateReportModal({ open, onClose, userId }: { open: boolean; onClose: () => void; userId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const generate = useGenerateReport();
  const [kind, setKind] = useState<ReportKind>('daily');
  const [day, setDay] = useState<Dayjs>(() => dayjs().subtract(1, 'day'));
  const [subjectKind, setSubjectKind] = useState<ReportSubjectKind>('user');
  const [subjectId, setSubjectId] = useState<string | null>(userId);

  const submit = () => {
    if (!subjectId) return;
    generate.mutate(
      { kind, period: reportPeriod(kind, day), subject_kind: subjectKind, subject_id: subjectId },
      {
        onSuccess: (report) => {
          onClose();
          void navigate(`/reports/${report.id}`);
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('reports.generate.title')}
      okText={t('reports.generate.submit')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ disabled: !subjectId, loading: generate.isPending }}
      destroyOnHidden
    >
      {generate.isError && <ProblemAlert error={generate.error} />}
      <Form layout="vertical" style={{ marginTop: 12 }}>
        <Form.Item label={t('reports.kind')}>
          <Segmented<ReportKind>
            value={kind}
            onChange={setKind}
            options={KINDS.map((k) => ({ value: k, label: t(`reports.kinds.${k}`) }))}
            data-testid="generate-kind"
          />
        </Form.Item>
        <Form.Item label={t('reports.period')}>
          <DatePicker
            picker={PICKER[kind]}
            value={day}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(d) => d && setDay(d)}
            format={() => reportPeriod(kind, day)}
            data-testid="generate-period"
          />
        </Form.Item>
        <Form.Item label={t('reports.subject')}>
          <Radio.Group
            value={subjectKind}
            onChange={(e) => {
              setSubjectKind(e.target.value as ReportSubjectKind);
              setSubjectId(e.target.value === 'user' ? userId : null);
            }}
            options={[
              { value: 'user', label: t('reports.subjectKinds.user') },
              { value: 'team', label: t('reports.subjectKinds.team') },
            ]}
          />
        </Form.Item>
        <Form.Item>
          {subjectKind === 'user' ? (
            <UserSelect value={subjectId} onChange={setSubjectId} allowClear={false} style={{ width: '100%' }} />
          ) : (
            <TeamSelect value={subjectId} onChange={setSubjectId} placeholder={t('reports.pickTeam')} />
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}
