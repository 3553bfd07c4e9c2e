import type { GroupDelivery } from '../../protocol/groups';
import { GROUP_FANOUT_THRESHOLD } from '../../protocol/limits';
import type { Env } from '../env';

/** Returns the fan-out threshold: the GROUP_FANOUT_THRESHOLD var when set, else the constant of that name. */
export function fanoutThreshold(env: Pick<Env, 'GROUP_FANOUT_THRESHOLD'>): number {
  const raw = env.GROUP_FANOUT_THRESHOLD;
  if (raw === undefined || raw === '') return GROUP_FANOUT_THRESHOLD;

  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new Error(`GROUP_FANOUT_THRESHOLD must be a whole number, got ${JSON.stringify(raw)}.`);
  }
  return value;
}

/** Groups up to the threshold get every message in each member's inbox; larger ones are read from the group. */
export function deliveryFor(memberLimit: number, threshold: number): GroupDelivery {
  return memberLimit <= threshold ? 'inbox' : 'pull';
}
