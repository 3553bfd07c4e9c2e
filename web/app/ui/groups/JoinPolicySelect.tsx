// The join policy of a group as a <select>: open, approval or invitation only.

import { JOIN_POLICIES, type JoinPolicy } from '../../../../protocol/groups';
import { t } from '../../i18n';
import { joinPolicyLabel } from './group-labels';

export function JoinPolicySelect({ value, onChange, disabled = false }: { value: JoinPolicy; onChange(policy: JoinPolicy): void; disabled?: boolean }) {
  return (
    <label class="field">
      <span class="field-label">{t('groupAdmin.field.joinPolicy')}</span>
      <select
        class="select"
        data-testid="group-join-policy"
        value={value}
        disabled={disabled}
        onChange={(event) => {
          const next = JOIN_POLICIES.find((policy) => policy === event.currentTarget.value);
          if (next) onChange(next);
        }}
      >
        {JOIN_POLICIES.map((policy) => (
          <option key={policy} value={policy}>
            {joinPolicyLabel(policy)}
          </option>
        ))}
      </select>
    </label>
  );
}
