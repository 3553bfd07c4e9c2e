// Simplified Chinese strings of the group chat: conversation list entries, the group chat view and its system lines.

import type { enGroupChat } from './en-group-chat';

export const zhCNGroupChat: Record<keyof typeof enGroupChat, string> = {
  'placeholder.group-chat': '',
};
