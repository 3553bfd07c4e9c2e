// English strings of the group management screens: create, info panel, members, applications, group search.
// Spread into the English catalog, so every key here is a MessageKey.

export const enGroupAdmin = {
  'placeholder.group-admin': '',
};
