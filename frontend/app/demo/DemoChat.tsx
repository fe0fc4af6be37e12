"use client";

import { type FormEvent, useEffect, useReducer, useRef, useState } from "react";

import { fetchDevToken } from "../../lib/backend";
import { type ChatChannel, type ChatClient, getStreamClient } from "../../lib/getStreamClient";
import { DEMO_CHANNEL, DEMO_USERS, type DemoUserId } from "./users";

/** What the header shows; `reconnecting` is the client's own retry after a dropped socket. */
type Connection = "connecting" | "online" | "reconnecting" | "offline";

interface Subscription {
  unsubscribe(): void;
}

// One session at a time: React may mount, unmount and mount again (Strict Mode, fast refresh), and a
// client connects one user at a time, so each connect or disconnect waits for the one before it.
let sessionQueue: Promise<unknown> = Promise.resolve();
function serially(task: () => Promise<void>): Promise<void> {
  const next = sessionQueue.then(task);
  sessionQueue = next.catch(() => undefined);
  return next;
}

/** Signs in, watches the demo channel, and follows the connection, until `userId` changes or unmount. */
function useDemoSession(userId: DemoUserId) {
  const [channel, setChannel] = useState<ChatChannel | null>(null);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const run = { cancelled: false };
    let stop: (() => Promise<void>) | undefined;
    serially(async () => {
      if (run.cancelled) return;
      const client: ChatClient = await getStreamClient();
      const subscriptions: Subscription[] = [
        client.on("connection.changed", (event) => {
          if (!run.cancelled) setConnection(event.online ? "online" : "reconnecting");
        }),
        client.on("connection.recovered", () => {
          if (!run.cancelled) setConnection("online");
        }),
      ];
      stop = async () => {
        for (const subscription of subscriptions) subscription.unsubscribe();
        await client.disconnectUser();
      };
      const { token } = await fetchDevToken(userId, DEMO_USERS[userId]);
      if (run.cancelled) return;
      await client.connectUser({ id: userId, name: DEMO_USERS[userId] }, token);
      const demo = client.channel(DEMO_CHANNEL.type, DEMO_CHANNEL.id, {
        name: DEMO_CHANNEL.data.name,
        members: [...DEMO_CHANNEL.data.members],
      });
      await demo.watch();
      if (run.cancelled) return;
      setConnection("online");
      setChannel(demo);
      await demo.markRead();
    }).catch((failure: unknown) => {
      if (run.cancelled) return;
      setError(failure instanceof Error ? failure.message : String(failure));
      setConnection("offline");
    });
    return () => {
      run.cancelled = true;
      setChannel(null);
      void serially(async () => {
        await stop?.();
      });
    };
  }, [userId]);

  return { channel, connection, error };
}

/** Re-renders on every event of the channel; the client has updated `channel.state` before it fires. */
function useChannelEvents(channel: ChatChannel | null, userId: DemoUserId): void {
  const [, bump] = useReducer((revision: number) => revision + 1, 0);
  useEffect(() => {
    if (!channel) return undefined;
    const all = channel.on((event) => {
      bump();
      // Reading happens while the page is in view: tell the others (read markers) as Stream does.
      if (event.type === "message.new" && event.user?.id !== userId && document.visibilityState === "visible") {
        void channel.markRead();
      }
    });
    const onVisible = () => {
      if (document.visibilityState === "visible") void channel.markRead();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      all.unsubscribe();
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [channel, userId]);
}

function displayName(user: { id: string; name?: string } | undefined): string {
  return user?.name || user?.id || "someone";
}

/** For each message, who else has read up to it (their last read message), from `channel.state.read`. */
function readMarkers(channel: ChatChannel, userId: string): Map<string, string[]> {
  const messages = channel.state.messages;
  const markers = new Map<string, string[]>();
  for (const [readerId, read] of Object.entries(channel.state.read)) {
    if (readerId === userId) continue;
    let messageId = read.last_read_message_id;
    if (!messageId) {
      const lastRead = new Date(read.last_read).getTime();
      messageId = messages.filter((message) => new Date(message.created_at ?? 0).getTime() <= lastRead).at(-1)?.id;
    }
    if (!messageId || !messages.some((message) => message.id === messageId)) continue;
    markers.set(messageId, [...(markers.get(messageId) ?? []), displayName(read.user ?? { id: readerId })]);
  }
  return markers;
}

function typingLine(channel: ChatChannel, userId: string): string {
  const names = Object.entries(channel.state.typing)
    .filter(([typistId]) => typistId !== userId)
    .map(([typistId, event]) => displayName(event.user ?? { id: typistId }));
  if (names.length === 0) return "";
  return `${names.join(" and ")} ${names.length === 1 ? "is" : "are"} typing…`;
}

function MessageList({ channel, userId }: { channel: ChatChannel; userId: string }) {
  const end = useRef<HTMLLIElement>(null);
  const messages = channel.state.messages;
  const markers = readMarkers(channel, userId);
  const lastId = messages.at(-1)?.id;
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [lastId]);
  return (
    <ol className="messages" data-testid="message-list" aria-label="Messages">
      {messages.length === 0 && <li className="empty">No messages yet. Say hello.</li>}
      {messages.map((message) => {
        const mine = message.user?.id === userId;
        const seenBy = markers.get(message.id);
        return (
          <li key={message.id} className={mine ? "message mine" : "message"} data-testid="message" data-message-id={message.id}>
            <span className="author">{displayName(message.user)}</span>
            {/* Text as a React text node: the browser never parses it as HTML. */}
            <p className="text" data-testid="message-text">{message.text}</p>
            {seenBy && (
              <span className="read-marker" data-testid="read-marker">
                Seen by {seenBy.join(", ")}
              </span>
            )}
          </li>
        );
      })}
      <li ref={end} aria-hidden className="end" />
    </ol>
  );
}

function Composer({ channel }: { channel: ChatChannel | null }) {
  const [text, setText] = useState("");
  const [sendError, setSendError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const message = text.trim();
    if (!channel || message === "") return;
    setText("");
    try {
      await channel.sendMessage({ text: message });
      setSendError(null);
    } catch (failure) {
      setText(message);
      setSendError(failure instanceof Error ? failure.message : String(failure));
    }
    void channel.stopTyping();
  };
  return (
    <form className="composer" onSubmit={submit}>
      <input
        data-testid="composer-input"
        aria-label="Message"
        placeholder={channel ? "Write a message" : "Connecting…"}
        value={text}
        maxLength={5000}
        autoComplete="off"
        onChange={(event) => {
          setText(event.target.value);
          if (channel && event.target.value !== "") void channel.keystroke();
        }}
        disabled={!channel}
      />
      <button type="submit" data-testid="send-button" disabled={!channel || text.trim() === ""}>
        Send
      </button>
      {sendError && (
        <p role="alert" className="error">
          {sendError}
        </p>
      )}
    </form>
  );
}

export function DemoChat({ userId }: { userId: DemoUserId }) {
  const { channel, connection, error } = useDemoSession(userId);
  useChannelEvents(channel, userId);
  const other = Object.keys(DEMO_USERS).find((id) => id !== userId);
  return (
    <main className="demo">
      <header>
        <h1>{DEMO_CHANNEL.data.name}</h1>
        <span className="me">
          Signed in as <strong>{DEMO_USERS[userId]}</strong>
          {other && (
            <>
              {" · "}
              <a href={`/demo?user=${other}`} target="_blank" rel="noreferrer">
                open as {DEMO_USERS[other as DemoUserId]}
              </a>
            </>
          )}
        </span>
        <span className={`connection ${connection}`} data-testid="connection-state" data-state={connection}>
          {connection}
        </span>
      </header>
      {error && (
        <p role="alert" className="error" data-testid="demo-error">
          {error}
        </p>
      )}
      {channel ? <MessageList channel={channel} userId={userId} /> : <div className="messages placeholder" />}
      <p className="typing" data-testid="typing-indicator" aria-live="polite">
        {channel ? typingLine(channel, userId) : ""}
      </p>
      <Composer channel={channel} />
    </main>
  );
}
