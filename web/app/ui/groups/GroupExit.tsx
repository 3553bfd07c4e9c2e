// Leaving the group, and for the owner dissolving it. The owner cannot leave
// before handing over ownership, so the edge rejects the request with
// `owner_must_transfer`, which shows here.

import type { GroupInfo } from '../../../../protocol/groups';
import { t } from '../../i18n';
import { dissolveGroup, leaveGroup } from '../../net/groups-api';
import { navigate } from '../../state/route';
import { FormError } from '../common/FormError';
import { useConfirm } from './ConfirmDialog';
import { useGroupAction } from './use-group-action';

export function GroupExit({ info }: { info: GroupInfo }) {
  const [dialog, confirm] = useConfirm();
  const action = useGroupAction(() => navigate({ name: 'chats' }));

  async function leave() {
    // The owner is asked nothing: the edge rejects the request and the reason shows at once.
    if (info.myRole !== 'owner' && !(await confirm(t('groupAdmin.confirmLeave', { name: info.name }), t('groupAdmin.leave')))) return;
    await action.run(() => leaveGroup(info.id));
  }

  async function dissolve() {
    if (!(await confirm(t('groupAdmin.confirmDissolve', { name: info.name }), t('groupAdmin.dissolve')))) return;
    await action.run(() => dissolveGroup(info.id));
  }

  return (
    <section class="group-section group-exit">
      <FormError message={action.error} testId="group-exit-error" />
      <div class="group-actions">
        <button type="button" class="button button-danger" data-testid="group-leave" disabled={action.busy} onClick={() => void leave()}>
          {t('groupAdmin.leave')}
        </button>
        {info.myRole === 'owner' && (
          <button type="button" class="button button-danger-solid" data-testid="group-dissolve" disabled={action.busy} onClick={() => void dissolve()}>
            {t('groupAdmin.dissolve')}
          </button>
        )}
      </div>
      {dialog}
    </section>
  );
}
