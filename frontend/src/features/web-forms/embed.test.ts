import { describe, expect, it } from 'vitest';

import { embedSnippet, type EmbedLabels, publicFormUrl } from './embed';

const labels: EmbedLabels = {
  name: '姓名',
  company: '公司',
  phone: '电话',
  email: '邮箱',
  message: '留言',
  submit: '提交',
  sending: '正在提交…',
  thanks: '提交成功',
  failed: '提交失败',
};

describe('web form embed code', () => {
  it('posts JSON to the form\'s public endpoint and carries the hidden spam trap', () => {
    const html = embedSnippet({ name: '官网联系表单', token: 'Abc_123-xyz' }, 'https://crm.example.com/', labels);
    expect(publicFormUrl('https://crm.example.com/', 'Abc_123-xyz')).toBe(
      'https://crm.example.com/api/v1/public/forms/Abc_123-xyz/leads',
    );
    expect(html).toContain('fetch("https://crm.example.com/api/v1/public/forms/Abc_123-xyz/leads"');
    expect(html).toContain("'Content-Type': 'application/json'");
    expect(html).toMatch(/<input name="name" required/);
    expect(html).toMatch(/aria-hidden="true"><input name="website" tabindex="-1"/);
    expect(html).toContain('<button type="submit">提交</button>');
  });

  it('escapes what people typed into the page and the script', () => {
    const html = embedSnippet(
      { name: 'A --> <b>form</b>', token: 't' },
      'https://x.test',
      { ...labels, submit: '<Send>', thanks: '</script><script>alert(1)</script>' },
    );
    expect(html).toContain('<!-- A - -&#62; &#60;b&#62;form&#60;/b&#62; -->');
    expect(html).toContain('<button type="submit">&#60;Send&#62;</button>');
    expect(html).not.toContain('</script><script>alert(1)');
  });
});
