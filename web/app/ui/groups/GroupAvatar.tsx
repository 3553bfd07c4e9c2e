// A group's picture, or the first letter of its name on a colour derived
// from the group id when it has none.

import { avatarKeyUrl } from '../../net/groups-api';
import { Avatar } from '../common/Avatar';

export function GroupAvatar({ group, size }: { group: { id: string; name: string; avatarKey?: string | null }; size: number }) {
  return <Avatar userId={group.id} name={group.name} url={avatarKeyUrl(group.avatarKey ?? null)} size={size} />;
}
