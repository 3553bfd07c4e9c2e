// For the owner and admins of a group: how many applications wait for a
// decision, shown above the messages with a link to the panel where they are
// decided. It reloads whenever a `group` event arrives, so a decision by
// another admin clears it.

import { useEffect, useState } from 'preact/hooks';
import type { GroupRole } from '../../../../protocol/groups';
import { t } from '../../i18n';
import { listApplications } from '../../net/groups-api';
import { groupEventVersion } from '../../state/group-events';
import { navigate } from '../../state/route';

export function PendingApplications({ groupId, role }: { groupId: string; role: GroupRole | null }) {
  const [pending, setPending] = useState(0);
  const version = groupEventVersion.value;
  const decides = role === 'owner' || role === 'admin';

  useEffect(() => {
    if (!decides) return;
    let current = true;
    listApplications(groupId)
      .then((response) => {
        if (current) setPending(response.applications.length);
      })
      .catch((error: unknown) => console.warn('[groups] reading pending applications failed', { groupId, error }));
    return () => {
      current = false;
    };
  }, [groupId, decides, version]);

  if (!decides || pending === 0) return null;

  return (
    <button
      type="button"
      class="group-pending"
      data-testid="group-pending-applications"
      data-count={pending}
      onClick={() => navigate({ name: 'group', groupId })}
    >
      {t('groupNotice.pending', { count: pending })}
    </button>
  );
}
