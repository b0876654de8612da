import { DownOutlined, GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';

import { LANGUAGES, setLanguage, type Language } from '../i18n';

export function LanguageSwitcher({ dark = false }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  const active: Language = LANGUAGES.includes(i18n.language as Language) ? (i18n.language as Language) : 'zh-CN';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [active],
        items: LANGUAGES.map((lng) => ({
          key: lng,
          label: <span data-testid={`language-${lng}`}>{t(`language.${lng}`)}</span>,
        })),
        onClick: ({ key }) => {
          void setLanguage(key as Language);
        },
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        aria-label={t('language.label')}
        data-testid="language-switcher"
        style={dark ? { color: '#fff' } : undefined}
      >
        {t(`language.${active}`)}
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}
