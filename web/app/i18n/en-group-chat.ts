// English strings of the group chat: conversation list entries, the group chat view and its system lines.
// Spread into the English catalog, so every key here is a MessageKey.

export const enGroupChat = {
  'placeholder.group-chat': '',
};
