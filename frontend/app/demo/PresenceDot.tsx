'use client';

import { shortTime } from './format';

/** What presence a user carries (Stream's `online` and `last_active`, when presence was asked). */
export interface Presence {
  online?: boolean;
  last_active?: string;
}

/** A green dot while the user has a socket open, grey once their last one closed. */
export function PresenceDot({ user }: { user?: Presence }) {
  const online = user?.online === true;
  const seen = user?.last_active ? `last seen ${shortTime(user.last_active)}` : 'offline';
  return (
    <span
      className={`presence-dot ${online ? 'online' : 'offline'}`}
      data-testid="presence-dot"
      data-online={String(online)}
      role="img"
      aria-label={online ? 'online' : seen}
      title={online ? 'Online' : `Offline, ${seen}`}
    />
  );
}
