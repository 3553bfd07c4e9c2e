import type { DeviceClass } from '../../protocol/api';

/** User-Agent tokens of phones and tablets; everything else counts as a desktop. */
const PHONE_USER_AGENT = /Mobi|Android|iPhone|iPad|iPod/i;

export function deviceClassOf(userAgent: string): DeviceClass {
  return PHONE_USER_AGENT.test(userAgent) ? 'phone' : 'desktop';
}
