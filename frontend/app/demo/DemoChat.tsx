'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { Capabilities } from './capabilities';
import { ChannelHeader, ConnectingPlaceholder } from './ChannelHeader';
import { ChannelList } from './ChannelList';
import { titleWithUnread, totalUnread } from './channels';
import { ChannelTitle } from './ChannelTitle';
import { type ChatContextValue, ChatProvider } from './ChatContext';
import { Composer } from './Composer';
import { type ChatMessage, displayName, shortTime } from './format';
import { MembersPanel } from './MembersPanel';
import { MessageList } from './MessageList';
import { NewConversationDialog } from './NewConversationDialog';
import { PinnedBar } from './PinnedBar';
import { SearchBox } from './SearchBox';
import { ThreadPanel } from './ThreadPanel';
import { TypingIndicator } from './TypingIndicator';
import { useChannelList } from './useChannelList';
import { banOf, type BanEvents, useChatEvents, useDemoSession } from './useDemoSession';
import { useUnreadThreads } from './useUnreadThreads';
import { type DemoUserId, DEMO_CHANNEL, demoChannel } from './users';

/** What shows beside the messages: one thread, the members, or nothing. */
type SidePanel = { kind: 'thread'; parentId: string } | { kind: 'members' } | null;

interface Notice {
  text: string;
  tone: 'info' | 'error';
}

const NOTICE_MS = 4000;
const FLASH_MS = 1600;

/** Why the user cannot write (a ban names who, why and until when), or undefined when they can. */
function writeBlock(
  { channel, userId, capabilities }: ChatContextValue,
  bans: BanEvents,
  needed: 'send-message' | 'send-reply',
): string | undefined {
  const ban = banOf(channel, bans, userId);
  if (ban) {
    const by = ban.by ? ` by ${displayName(ban.by)}` : '';
    const until = ban.expiration ? ` until ${shortTime(ban.expiration)}` : '';
    const reason = ban.reason ? ` Reason: ${ban.reason}` : '';
    return `You are banned from this channel${by}${until}.${reason}`;
  }
  if (!capabilities.has(needed)) {
    return needed === 'send-message'
      ? 'You cannot send messages in this channel.'
      : 'You cannot reply in this channel.';
  }
  return undefined;
}

/** The demo as `userId`: the channel list, and one channel with threads, reactions, pins and
 * moderation; `channelId` is the one it opens first (the list opens others in place). */
export function DemoChat({ userId, channelId }: { userId: DemoUserId; channelId?: string }) {
  const [openId, setOpenId] = useState(channelId);
  const target = useMemo(() => demoChannel(openId), [openId]);
  const { client, channel, connection, error } = useDemoSession(userId, target);
  const bans = useChatEvents(client, channel, userId);
  const [side, setSide] = useState<SidePanel>(null);
  const [quoted, setQuoted] = useState<ChatMessage | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [highlightedId, setHighlightedId] = useState<string | undefined>();
  const timers = useRef<{ notice?: number; flash?: number }>({});

  const list = useChannelList(client, userId);
  const unreadThreads = useUnreadThreads(client, userId);
  const [composing, setComposing] = useState(false);
  const unread = totalUnread(list.channels);
  useEffect(() => {
    document.title = titleWithUnread(unread);
  }, [unread]);
  const open = useCallback(
    (id: string) => {
      setOpenId(id);
      setSide(null);
      setQuoted(null);
      const query = new URLSearchParams({ user: userId });
      if (id !== DEMO_CHANNEL.id) query.set('channel', id);
      window.history.replaceState(null, '', `?${query}`);
    },
    [userId],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      window.clearTimeout(pending.notice);
      window.clearTimeout(pending.flash);
    };
  }, []);

  const notify = useCallback((text: string, tone: Notice['tone'] = 'info') => {
    setNotice({ text, tone });
    window.clearTimeout(timers.current.notice);
    timers.current.notice = window.setTimeout(() => setNotice(null), NOTICE_MS);
  }, []);

  // The open conversation deleted, or this user removed from it: back to the demo channel.
  const openCid = channel?.cid;
  useEffect(() => {
    if (!client || !openCid) return undefined;
    const subscription = client.on((event) => {
      if (event.cid !== openCid) return;
      if (event.type === 'channel.deleted') notify('That conversation was deleted');
      else if (event.type === 'notification.removed_from_channel')
        notify('You were removed from that conversation');
      else return;
      open(DEMO_CHANNEL.id);
    });
    return () => subscription.unsubscribe();
  }, [client, openCid, notify, open]);

  const scrollTo = useCallback(
    (messageId: string) => {
      const element = document.querySelector(
        `[data-testid="message-list"] [data-message-id="${CSS.escape(messageId)}"]`,
      );
      if (!element) return notify('That message is not in the loaded history.');
      element.scrollIntoView({ block: 'center', behavior: 'smooth' });
      setHighlightedId(messageId);
      window.clearTimeout(timers.current.flash);
      timers.current.flash = window.setTimeout(() => setHighlightedId(undefined), FLASH_MS);
    },
    [notify],
  );

  // A message in another channel (a search hit) is scrolled to once that channel has loaded.
  const [arriving, setArriving] = useState<string | undefined>();
  const jumpTo = useCallback(
    (messageId: string, channelId?: string) => {
      if (channelId === undefined || channelId === target.id) return scrollTo(messageId);
      open(channelId);
      setArriving(messageId);
    },
    [open, target.id, scrollTo],
  );
  const loaded = channel?.id === target.id ? channel : null;
  useEffect(() => {
    if (arriving === undefined || loaded === null) return;
    setArriving(undefined);
    scrollTo(arriving);
  }, [arriving, loaded, scrollTo]);

  const context: ChatContextValue | null =
    client && channel
      ? {
          client,
          channel,
          userId,
          capabilities: new Capabilities(channel.data?.own_capabilities ?? []),
          openThread: (parentId) => setSide({ kind: 'thread', parentId }),
          unreadThreads: unreadThreads.threads,
          readThread: async (parentId) => {
            await channel.markRead({ thread_id: parentId });
            await unreadThreads.refresh();
          },
          quote: setQuoted,
          jumpTo,
          notify,
        }
      : null;

  return (
    <main className={side ? 'demo with-list with-side' : 'demo with-list'}>
      <ChannelHeader
        title={<ChannelTitle channel={channel} userId={userId} fallback={target.data.name} />}
        userId={userId}
        channelId={openId}
        connection={connection}
        memberCount={channel ? Object.keys(channel.state.members).length : undefined}
        membersOpen={side?.kind === 'members'}
        onToggleMembers={() => setSide(side?.kind === 'members' ? null : { kind: 'members' })}
      />
      {error && (
        <p role="alert" className="error" data-testid="demo-error">
          {error}
        </p>
      )}
      {context ? (
        <ChatProvider value={context}>
          <SearchBox />
          <PinnedBar />
          <div className="body">
            <ChannelList
              channels={list.channels}
              activeCid={context.channel.cid}
              userId={userId}
              loading={list.loading}
              error={list.error}
              onSelect={(picked) => open(picked.id)}
              onNewConversation={() => setComposing(true)}
            />
            <section className="channel" aria-label="Channel">
              <MessageList highlightedId={highlightedId} />
              <TypingIndicator testId="typing-indicator" />
              <Composer
                quoted={quoted}
                onClearQuote={() => setQuoted(null)}
                disabledReason={writeBlock(context, bans, 'send-message')}
              />
            </section>
            {side?.kind === 'thread' && (
              <ThreadPanel
                key={side.parentId}
                parentId={side.parentId}
                onClose={() => setSide(null)}
                disabledReason={writeBlock(context, bans, 'send-reply')}
              />
            )}
            {side?.kind === 'members' && <MembersPanel bans={bans} onClose={() => setSide(null)} />}
          </div>
          {notice && (
            <p
              className={`notice ${notice.tone}`}
              role={notice.tone === 'error' ? 'alert' : 'status'}
              data-testid="notice"
            >
              {notice.text}
            </p>
          )}
        </ChatProvider>
      ) : (
        <ConnectingPlaceholder />
      )}
      {composing && client && (
        <NewConversationDialog
          client={client}
          userId={userId}
          onClose={() => setComposing(false)}
          onCreated={(created) => {
            setComposing(false);
            list.show(created.cid);
            open(created.id);
          }}
        />
      )}
    </main>
  );
}
