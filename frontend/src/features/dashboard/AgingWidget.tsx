import { Flex, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { EChart } from '../../components/charts';
import { formatMoney } from '../contracts/money';
import { useAgingTotals } from './api';
import { useNarrow } from './hooks';
import { mainCurrency } from './data';
import { agingOption, allZero } from './options';
import { Widget } from './Widget';

/** Outstanding receivables in scope by days past due, with the total and DSO. */
export function AgingWidget() {
  const { t, i18n } = useTranslation();
  const narrow = useNarrow();
  const aging = useAgingTotals();
  const report = aging.data;
  const totals = useMemo(() => {
    if (!report || report.totals.length === 0) return null;
    const currency = mainCurrency(report.totals.map((b) => ({ currency: b.currency, count: b.installments })));
    return report.totals.find((b) => b.currency === currency) ?? null;
  }, [report]);
  const dso = totals ? report?.dso.find((d) => d.currency === totals.currency) : undefined;
  const option = useMemo(
    () => totals && agingOption(totals, i18n.language, (key) => t(`receivables.buckets.${key}`), narrow),
    [totals, i18n.language, t, narrow],
  );
  const title = t('dashboard.aging.title');
  return (
    <Widget
      title={title}
      extra={<Link to="/receivables">{t('dashboard.aging.open')}</Link>}
      query={aging}
      empty={!totals || allZero([totals.total])}
      emptyText={t('dashboard.aging.empty')}
      testId="widget-aging"
    >
      {() =>
        totals && (
          <>
            <Flex gap={24} wrap>
              <Statistic title={t('dashboard.aging.total')} value={formatMoney(totals.total, totals.currency)} data-testid="aging-widget-total" />
              <Statistic
                title={t('receivables.aging.dso')}
                value={dso?.days ?? '—'}
                suffix={dso?.days ? <Typography.Text type="secondary">{t('receivables.aging.days')}</Typography.Text> : undefined}
              />
            </Flex>
            {option && <EChart option={option} ariaLabel={title} height={220} testId="chart-aging" />}
          </>
        )
      }
    </Widget>
  );
}
