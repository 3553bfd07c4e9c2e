// Simplified Chinese strings of the group management screens: create, info panel, members, applications, group search.

import type { enGroupAdmin } from './en-group-admin';

export const zhCNGroupAdmin: Record<keyof typeof enGroupAdmin, string> = {
  'placeholder.group-admin': '',
};
