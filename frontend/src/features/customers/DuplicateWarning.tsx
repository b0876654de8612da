import { FlagOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { DuplicateCandidate, MatchReason } from '../../api/types';

const REASON_FIELDS = ['phone', 'email', 'credit_code', 'name'] as const;

function useReasonLabel(): (reason: MatchReason) => string {
  const { t } = useTranslation();
  return (reason) => {
    const known = (REASON_FIELDS as readonly string[]).includes(reason.field);
    const field = known ? t(`duplicates.fields.${reason.field as (typeof REASON_FIELDS)[number]}`) : reason.field;
    if (reason.field !== 'name') return `${field} ${reason.value}`;
    return t('duplicates.nameReason', { field, score: Math.round(reason.score * 100) });
  };
}

/**
 * Existing customers that look like the one being entered, each with its owner's name, so the
 * rep knows whom to ask. Candidates owned by someone else can be disputed; those in the rep's
 * scope can be opened.
 */
export function DuplicateWarning({
  candidates,
  blocked,
  myId,
  onDispute,
}: {
  candidates: readonly DuplicateCandidate[];
  blocked: boolean;
  myId: string;
  onDispute?: (candidate: DuplicateCandidate) => void;
}) {
  const { t } = useTranslation();
  const reasonLabel = useReasonLabel();
  if (candidates.length === 0) return null;
  return (
    <Alert
      type={blocked ? 'error' : 'warning'}
      showIcon
      data-testid="duplicate-warning"
      style={{ marginBottom: 16 }}
      message={blocked ? t('duplicates.blockedTitle') : t('duplicates.title', { count: candidates.length })}
      description={
        <List<DuplicateCandidate>
          size="small"
          split={false}
          dataSource={[...candidates]}
          renderItem={(candidate) => {
            const ownedByOther = candidate.owner_id !== null && candidate.owner_id !== myId;
            return (
              <List.Item
                style={{ paddingInline: 0 }}
                data-testid="duplicate-candidate"
                actions={
                  onDispute && ownedByOther
                    ? [
                        <Button
                          key="dispute"
                          size="small"
                          icon={<FlagOutlined />}
                          onClick={() => onDispute(candidate)}
                          data-testid="raise-dispute"
                        >
                          {t('duplicates.raiseDispute')}
                        </Button>,
                      ]
                    : []
                }
              >
                <Flex vertical gap={2}>
                  <Space size={8} wrap>
                    {candidate.in_your_scope ? (
                      <Link to={`/customers/${candidate.customer_id}`} target="_blank">
                        <Typography.Text strong>{candidate.name}</Typography.Text>
                      </Link>
                    ) : (
                      <Typography.Text strong>{candidate.name}</Typography.Text>
                    )}
                    <Typography.Text type="secondary" data-testid="duplicate-owner">
                      <UserOutlined />{' '}
                      {candidate.owner_name
                        ? t('duplicates.owner', { name: candidate.owner_name })
                        : t('duplicates.noOwner')}
                      {candidate.owner_id === myId && ` · ${t('duplicates.yours')}`}
                    </Typography.Text>
                  </Space>
                  <Space size={4} wrap>
                    {candidate.reasons.map((reason) => (
                      <Tag
                        key={`${reason.field}:${reason.value}`}
                        color={reason.policy === 'block' ? 'red' : 'orange'}
                        bordered={false}
                      >
                        {reasonLabel(reason)}
                      </Tag>
                    ))}
                  </Space>
                </Flex>
              </List.Item>
            );
          }}
        />
      }
    />
  );
}
