import { create } from 'zustand';

export type NotificationTone = 'info' | 'success' | 'warning' | 'error';

export interface Notification {
  id: number;
  message: string;
  tone: NotificationTone;
  /** Who raised it: a plugin's display name, or undefined for the app itself. */
  source?: string;
}

interface NotificationsState {
  items: Notification[];
  notify(notification: Omit<Notification, 'id'>): void;
  dismiss(id: number): void;
}

const VISIBLE_MS = 6_000;
const MAX_VISIBLE = 4;
let nextId = 1;

/** Short messages shown in a corner of the app; plugins raise them through `sdk.notify`. */
export const useNotifications = create<NotificationsState>()((set, get) => ({
  items: [],
  notify(notification) {
    const id = nextId++;
    set((state) => ({ items: [...state.items, { ...notification, id }].slice(-MAX_VISIBLE) }));
    setTimeout(() => get().dismiss(id), VISIBLE_MS);
  },
  dismiss(id) {
    set((state) => ({ items: state.items.filter((n) => n.id !== id) }));
  },
}));
