/**
 * Live notifications across instances over the stores' pub/sub (Redis in distributed mode,
 * memory embedded): a new notification is published on `notifications:<userId>`, and each
 * instance holds one subscription per user with open streams, shared by all of that user's
 * streams on the instance. Pub/sub is fire-and-forget: a push is delivered at most once, and
 * only to streams open at that moment; the inbox is the record, and Last-Event-ID catches up.
 */
import type { Logger } from '@agora/kit/logger';
import type { PubSub, Unsubscribe } from '@agora/kit/store/types';
import type { Notification } from '../domain/notifications.ts';

export type NotificationListener = (notification: Notification) => void;

export interface NotificationHub {
  publish(recipientId: string, notification: Notification): Promise<void>;
  /** Resolves once `listener` hears every notification published for the user from then on; returns how to stop. */
  subscribe(userId: string, listener: NotificationListener): Promise<() => Promise<void>>;
  /** Drops every subscription. */
  close(): Promise<void>;
}

interface Channel {
  listeners: Set<NotificationListener>;
  /** The pub/sub subscription, once confirmed. */
  subscribed: Promise<Unsubscribe>;
}

export const channelOf = (userId: string): string => `notifications:${userId}`;

export function createNotificationHub(pubsub: PubSub, logger: Logger): NotificationHub {
  const channels = new Map<string, Channel>();

  const dispatch = (userId: string, message: string): void => {
    const channel = channels.get(userId);
    if (!channel) return;
    let notification: Notification;
    try {
      notification = JSON.parse(message) as Notification;
    } catch (error) {
      logger.warn({ err: error, userId }, 'unreadable live notification; dropped');
      return;
    }
    for (const listener of [...channel.listeners]) listener(notification);
  };

  const release = async (userId: string, channel: Channel): Promise<void> => {
    if (channel.listeners.size > 0 || channels.get(userId) !== channel) return;
    channels.delete(userId);
    try {
      await (await channel.subscribed)();
    } catch (error) {
      logger.warn({ err: error, userId }, 'live notifications unsubscribe failed');
    }
  };

  return {
    async publish(recipientId, notification) {
      await pubsub.publish(channelOf(recipientId), JSON.stringify(notification));
    },

    async subscribe(userId, listener) {
      let channel = channels.get(userId);
      if (!channel) {
        const fresh: Channel = { listeners: new Set(), subscribed: pubsub.subscribe(channelOf(userId), (message) => dispatch(userId, message)) };
        channels.set(userId, fresh);
        channel = fresh;
      }
      // A fresh function per call, so one listener subscribed twice is two subscriptions.
      const own: NotificationListener = (notification) => listener(notification);
      channel.listeners.add(own);
      const joined = channel;
      try {
        await joined.subscribed;
      } catch (error) {
        joined.listeners.delete(own);
        if (channels.get(userId) === joined) channels.delete(userId);
        throw error;
      }
      let left = false;
      return async () => {
        if (left) return;
        left = true;
        joined.listeners.delete(own);
        await release(userId, joined);
      };
    },

    async close() {
      const open = [...channels.entries()];
      channels.clear();
      await Promise.all(
        open.map(async ([userId, channel]) => {
          channel.listeners.clear();
          try {
            await (await channel.subscribed)();
          } catch (error) {
            logger.debug({ err: error, userId }, 'live notifications unsubscribe at close failed');
          }
        }),
      );
    },
  };
}
