import { Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The footer of a keyset-paginated list: one more page per click, no page numbers. */
export function LoadMore({
  hasMore,
  loading,
  onLoadMore,
  shown,
}: {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  shown: number;
}) {
  const { t } = useTranslation();
  if (!hasMore && shown === 0) return null;
  return (
    <Flex justify="center" style={{ marginTop: 16 }}>
      {hasMore ? (
        <Button onClick={onLoadMore} loading={loading} data-testid="load-more">
          {t('common.loadMore')}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
      )}
    </Flex>
  );
}
