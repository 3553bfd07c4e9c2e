// A counter that the socket layer bumps on every `group` inbox event, so
// that open group screens (the info panel, its member and application lists)
// reload from the server.

import { signal } from '@preact/signals';

export const groupEventVersion = signal(0);

/** Marks that a `group` inbox event arrived; views that read `groupEventVersion` reload. */
export function notifyGroupEvent(): void {
  groupEventVersion.value++;
}
