'use client';

import { createContext, useContext } from 'react';

import type { ChatChannel, ChatClient } from '../../lib/getStreamClient';
import type { Capabilities } from './capabilities';
import type { ChatMessage } from './format';
import type { UnreadThreads } from './useUnreadThreads';

/** What every component of a signed-in chat reads: who, where, what they may do, and the page's own actions. */
export interface ChatContextValue {
  client: ChatClient;
  channel: ChatChannel;
  userId: string;
  capabilities: Capabilities;
  /** Opens the thread panel on a top-level message. */
  openThread(parentId: string): void;
  /** Unread replies of the user's threads, by parent message id. */
  unreadThreads: UnreadThreads;
  /** Marks a thread read (Stream's markRead({ thread_id })), then its badge goes. */
  readThread(parentId: string): Promise<void>;
  /** Puts a message above the channel's composer as the quote of the next message. */
  quote(message: ChatMessage): void;
  /** Scrolls the channel to a message and flashes it; with `channelId`, that channel opens first. */
  jumpTo(messageId: string, channelId?: string): void;
  /** A short line at the foot of the page: a success ("Flagged") or a refusal from the server. */
  notify(text: string, tone?: 'info' | 'error'): void;
}

const ChatContext = createContext<ChatContextValue | null>(null);

export const ChatProvider = ChatContext.Provider;

export function useChat(): ChatContextValue {
  const value = useContext(ChatContext);
  if (!value) throw new Error('useChat() outside a <ChatProvider>');
  return value;
}

/** Runs a request; a refusal becomes a notice instead of an unhandled rejection. */
export function useRequest(): (task: () => Promise<unknown>, done?: string) => Promise<boolean> {
  const { notify } = useChat();
  return async (task, done) => {
    try {
      await task();
      if (done) notify(done);
      return true;
    } catch (failure) {
      notify(failure instanceof Error ? failure.message : String(failure), 'error');
      return false;
    }
  };
}
