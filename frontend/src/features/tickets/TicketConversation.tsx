import { CustomerServiceOutlined, LockOutlined, SendOutlined, UserOutlined } from '@ant-design/icons';
import { App as AntApp, Avatar, Button, Flex, Input, Segmented, Spin, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime, fromNow } from '../../lib/dates';
import { problemMessage } from '../../lib/problems';
import { useAddComment, useTicketComments } from './api';
import type { CommentVisibility, Ticket } from './types';

type Speaker = 'customer' | 'staff' | 'internal';

const BUBBLE: Record<Speaker, React.CSSProperties> = {
  customer: { background: '#f5f7fa', border: '1px solid #e8ebf0' },
  staff: { background: '#e8f3ff', border: '1px solid #bcdcff' },
  internal: { background: '#fffbe6', border: '1px dashed #ffd666' },
};

function Message({
  speaker,
  author,
  body,
  at,
  testId,
}: {
  speaker: Speaker;
  author: string;
  body: string;
  at: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const mine = speaker !== 'customer';
  return (
    <Flex gap={10} style={{ flexDirection: mine ? 'row-reverse' : 'row' }} data-testid={testId} data-visibility={speaker}>
      <Avatar
        size={32}
        icon={speaker === 'customer' ? <UserOutlined /> : <CustomerServiceOutlined />}
        style={{ flex: 'none', background: speaker === 'customer' ? '#8c8c8c' : speaker === 'internal' ? '#d48806' : '#1677ff' }}
      />
      <Flex vertical gap={4} style={{ maxWidth: '80%', alignItems: mine ? 'flex-end' : 'flex-start' }}>
        <Flex gap={6} align="center" wrap>
          <Typography.Text strong>{author}</Typography.Text>
          {speaker === 'internal' && (
            <Tag icon={<LockOutlined />} color="gold" bordered={false} style={{ marginInlineEnd: 0 }}>
              {t('tickets.conversation.internal')}
            </Tag>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }} title={formatDateTime(at) ?? ''}>
            {fromNow(at)}
          </Typography.Text>
        </Flex>
        <div style={{ ...BUBBLE[speaker], borderRadius: 8, padding: '8px 12px', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {body}
        </div>
      </Flex>
    </Flex>
  );
}

/**
 * The thread: what the customer asked, then public replies (what the customer sees, blue)
 * and internal notes (only staff, amber with a lock), oldest first.
 */
export function TicketConversation({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const comments = useTicketComments(ticket.id);
  const rows = useMemo(() => comments.data?.pages.flatMap((page) => page.data) ?? [], [comments.data]);
  const requester = ticket.requester_name ?? ticket.customer_name ?? t('tickets.conversation.customer');
  return (
    <Flex vertical gap={16} data-testid="ticket-conversation">
      <Message
        speaker="customer"
        author={requester}
        body={ticket.description?.trim() || ticket.subject}
        at={ticket.created_at}
        testId="ticket-message-opening"
      />
      {comments.isError && <ProblemAlert error={comments.error} onRetry={() => void comments.refetch()} />}
      {comments.isPending && (
        <Flex justify="center">
          <Spin />
        </Flex>
      )}
      {rows.map((comment) => (
        <Message
          key={comment.id}
          speaker={comment.visibility === 'internal' ? 'internal' : comment.author_id ? 'staff' : 'customer'}
          author={comment.author_name ?? (comment.author_id ? '…' : requester)}
          body={comment.body}
          at={comment.created_at}
          testId={`ticket-comment-${comment.visibility}`}
        />
      ))}
      {comments.hasNextPage && (
        <LoadMore hasMore loading={comments.isFetchingNextPage} onLoadMore={() => void comments.fetchNextPage()} shown={rows.length} />
      )}
    </Flex>
  );
}

/** Reply to the customer or leave a note for colleagues; Ctrl/⌘+Enter sends. */
export function ReplyBox({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [visibility, setVisibility] = useState<CommentVisibility>('public');
  const [body, setBody] = useState('');
  const add = useAddComment(ticket.id);
  const send = () => {
    const text = body.trim();
    if (!text || add.isPending) return;
    add.mutate(
      { body: text, visibility },
      {
        onSuccess: () => {
          setBody('');
          void message.success(t(visibility === 'public' ? 'tickets.conversation.replied' : 'tickets.conversation.noted'));
        },
        onError: (error) => void message.error(problemMessage(error)),
      },
    );
  };
  const internal = visibility === 'internal';
  return (
    <Flex vertical gap={8} data-testid="ticket-reply">
      <Segmented<CommentVisibility>
        value={visibility}
        onChange={setVisibility}
        options={[
          { value: 'public', icon: <SendOutlined />, label: <span data-testid="reply-public">{t('tickets.conversation.publicReply')}</span> },
          { value: 'internal', icon: <LockOutlined />, label: <span data-testid="reply-internal">{t('tickets.conversation.internalNote')}</span> },
        ]}
        style={{ alignSelf: 'flex-start' }}
      />
      <Input.TextArea
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send();
        }}
        rows={4}
        maxLength={20000}
        placeholder={t(internal ? 'tickets.conversation.notePlaceholder' : 'tickets.conversation.replyPlaceholder')}
        style={internal ? { background: '#fffbe6', borderColor: '#ffd666' } : undefined}
        data-testid="reply-body"
      />
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(internal ? 'tickets.conversation.noteHint' : 'tickets.conversation.replyHint')}
        </Typography.Text>
        <Button
          type="primary"
          icon={internal ? <LockOutlined /> : <SendOutlined />}
          onClick={send}
          loading={add.isPending}
          disabled={!body.trim()}
          data-testid="reply-send"
        >
          {t(internal ? 'tickets.conversation.addNote' : 'tickets.conversation.send')}
        </Button>
      </Flex>
    </Flex>
  );
}
