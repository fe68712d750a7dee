/**
 * Clears the message line when its message's time is up (see `Message.ms`), so that an offer such
 * as "u undoes (10 s)" is gone when the undo window closes and the key hints come back. A newer
 * message restarts the count; a message without a time (an action in flight) stays until replaced.
 */
import { useEffect } from 'react';
import type { DashboardAction, Message } from '../state/dashboard.js';

export function useMessageExpiry(message: Message | null, dispatch: (action: DashboardAction) => void): void {
  useEffect(() => {
    if (message === null || message.ms === null) return undefined;
    const timer = setTimeout(() => dispatch({ type: 'expireMessage', message }), message.ms);
    return () => clearTimeout(timer);
  }, [message, dispatch]);
}
