import { FrownOutlined, MehOutlined, SmileOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Flex, Input, Result, Skeleton, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { isApiProblem } from '../../api/problem';
import { LanguageSwitcher } from '../../components/LanguageSwitcher';
import i18n, { LANGUAGE_STORAGE_KEY } from '../../i18n';
import { problemMessage } from '../../lib/problems';
import { useRateSurvey, useSurvey } from './api';
import { type Score, SCORES, surveyLanguage } from './csat';

const FACES: Record<Score, { icon: ReactNode; color: string }> = {
  1: { icon: <FrownOutlined />, color: '#cf1322' },
  2: { icon: <FrownOutlined />, color: '#fa8c16' },
  3: { icon: <MehOutlined />, color: '#faad14' },
  4: { icon: <SmileOutlined />, color: '#52c41a' },
  5: { icon: <SmileOutlined />, color: '#1f9d55' },
};

function storedChoice(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

function Shell({ workspace, children }: { workspace?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', background: '#f5f7fa', padding: '16px 12px 32px' }}>
      <Flex justify="space-between" align="center" style={{ width: '100%', maxWidth: 520, marginBottom: 12 }}>
        <Typography.Text strong style={{ fontSize: 16 }} data-testid="csat-workspace">
          {workspace ?? t('app.name')}
        </Typography.Text>
        <LanguageSwitcher />
      </Flex>
      <Card style={{ width: '100%', maxWidth: 520 }} styles={{ body: { padding: '24px 20px' } }}>
        {children}
      </Card>
    </Flex>
  );
}

/**
 * 满意度评价: the page a customer opens from the link sent after their ticket was resolved.
 * No login; one rating per link; phone-sized first.
 */
export default function CsatPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const survey = useSurvey(token);
  const rate = useRateSurvey(token);
  const [score, setScore] = useState<Score | null>(null);
  const [comment, setComment] = useState('');

  useEffect(() => {
    // A customer has not chosen a language here: follow their browser rather than our default.
    const lng = surveyLanguage(storedChoice(), navigator.languages ?? [navigator.language]);
    if (i18n.language !== lng) void i18n.changeLanguage(lng);
  }, []);

  if (survey.isPending) {
    return (
      <Shell>
        <Skeleton active />
      </Shell>
    );
  }
  if (survey.isError) {
    const status = isApiProblem(survey.error) ? survey.error.status : 0;
    return (
      <Shell>
        <div data-testid="csat-error">
          <Result
            status={status === 404 ? '404' : 'warning'}
            title={status === 404 ? t('tickets.survey.notFound') : problemMessage(survey.error)}
            subTitle={status === 404 ? t('tickets.survey.notFoundHelp') : undefined}
          />
        </div>
      </Shell>
    );
  }
  const data = survey.data;

  if (data.state === 'rated') {
    return (
      <Shell workspace={data.workspace_name}>
        <div data-testid="csat-thanks">
          <Result
            status="success"
            title={t('tickets.survey.thanks')}
            subTitle={t('tickets.survey.yourRating', {
              score: data.rating ?? 0,
              label: t(`tickets.survey.scores.${(data.rating ?? 5) as Score}`),
            })}
          />
        </div>
        {data.comment && (
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
            “{data.comment}”
          </Typography.Paragraph>
        )}
      </Shell>
    );
  }
  if (data.state === 'expired') {
    return (
      <Shell workspace={data.workspace_name}>
        <div data-testid="csat-expired">
          <Result status="warning" title={t('tickets.survey.expired')} subTitle={t('tickets.survey.expiredHelp')} />
        </div>
      </Shell>
    );
  }

  const submit = () => {
    if (score === null) return;
    rate.mutate(
      { rating: score, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      { onError: (error) => void message.error(problemMessage(error)) },
    );
  };

  return (
    <Shell workspace={data.workspace_name}>
      <Flex vertical gap={20}>
        <div>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('tickets.survey.question')}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="csat-ticket">
            {data.ticket_number} · {data.subject}
          </Typography.Text>
        </div>
        <Flex justify="space-between" gap={6} role="radiogroup" aria-label={t('tickets.survey.question')}>
          {SCORES.map((s) => {
            const chosen = score === s;
            return (
              <button
                key={s}
                type="button"
                role="radio"
                aria-checked={chosen}
                onClick={() => setScore(s)}
                data-testid={`csat-score-${s}`}
                style={{
                  flex: 1,
                  minWidth: 0,
                  minHeight: 72,
                  border: `2px solid ${chosen ? FACES[s].color : '#e8ebf0'}`,
                  borderRadius: 12,
                  background: chosen ? '#fff' : '#fafafa',
                  color: FACES[s].color,
                  cursor: 'pointer',
                  display: 'flex',
                  flexDirection: 'column',
                  alignItems: 'center',
                  justifyContent: 'center',
                  gap: 4,
                  padding: '8px 2px',
                }}
              >
                <span style={{ fontSize: 26, lineHeight: 1 }}>{FACES[s].icon}</span>
                <span style={{ fontSize: 16, fontWeight: 600 }}>{s}</span>
              </button>
            );
          })}
        </Flex>
        <Typography.Text style={{ textAlign: 'center', minHeight: 22 }} data-testid="csat-score-label">
          {score === null ? t('tickets.survey.pick') : t(`tickets.survey.scores.${score}`)}
        </Typography.Text>
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          rows={4}
          maxLength={2000}
          placeholder={t('tickets.survey.commentPlaceholder')}
          data-testid="csat-comment"
        />
        <Button type="primary" size="large" block disabled={score === null} loading={rate.isPending} onClick={submit} data-testid="csat-submit">
          {t('tickets.survey.submit')}
        </Button>
      </Flex>
    </Shell>
  );
}
