'use client';

/** What a channel's creator and moderators do to the channel itself: add people, delete it. */
import { useState } from 'react';

import { useChat, useRequest } from './ChatContext';
import { displayName, initials } from './format';
import { PresenceDot } from './PresenceDot';
import { useUserSearch } from './useUserSearch';

/** Adds people to the channel (Stream's channel.addMembers), found with users.query as you type. */
export function AddMemberForm({ memberIds }: { memberIds: readonly string[] }) {
  const [query, setQuery] = useState('');
  return (
    <div className="add-member" data-testid="add-member">
      <input
        data-testid="add-member-search"
        aria-label="Add people by name"
        placeholder="Add people…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {query.trim() && (
        <FoundPeople query={query} memberIds={memberIds} onAdded={() => setQuery('')} />
      )}
    </div>
  );
}

/** Who the search finds that is not a member yet; a click adds them. Searches only while shown. */
function FoundPeople({
  query,
  memberIds,
  onAdded,
}: {
  query: string;
  memberIds: readonly string[];
  onAdded(): void;
}) {
  const { client, channel } = useChat();
  const request = useRequest();
  const { found, searching } = useUserSearch(client, query, memberIds);
  return (
    <ul className="user-results">
      {found.map((user) => (
        <li key={user.id}>
          <button
            type="button"
            data-testid="add-member-result"
            data-user-id={user.id}
            onClick={() =>
              void request(
                () => channel.addMembers([user.id]),
                `${displayName(user)} was added`,
              ).then((added) => added && onAdded())
            }
          >
            <span className="avatar" aria-hidden>
              {initials(user)}
              <PresenceDot user={user} />
            </span>
            {displayName(user)}
          </button>
        </li>
      ))}
      {!searching && found.length === 0 && <li className="hint">Nobody else found</li>}
    </ul>
  );
}

/** Deletes the conversation for everyone (Stream's channel.delete()), after a second click. */
export function DeleteChannel() {
  const { channel } = useChat();
  const request = useRequest();
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button
        type="button"
        className="danger delete-channel"
        data-testid="delete-channel-button"
        onClick={() => setConfirming(true)}
      >
        Delete this conversation…
      </button>
    );
  return (
    <div className="delete-channel" role="group">
      <span>Delete it, with its messages, for everyone?</span>
      <button
        type="button"
        className="danger"
        data-testid="confirm-delete-channel"
        onClick={() => void request(() => channel.delete(), 'The conversation was deleted')}
      >
        Delete
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </div>
  );
}
