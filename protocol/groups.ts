// Groups: the wire shapes of group messages, the group log, the changes that
// reach members' inboxes, and the HTTP bodies of the group routes. Character
// limits are checked by the edge so that errors name the limit, so the
// request schemas here only fix the types. docs/groups.md describes each.

import * as z from 'zod/mini';
import { boundedBytesField, deviceIdSchema } from './envelope';
import { TEXT_MAX_BYTES } from './limits';

const id = z.string().check(z.minLength(1), z.maxLength(64));
const seq = z.number().check(z.int(), z.nonnegative());

export const GROUP_ROLES = ['owner', 'admin', 'member'] as const;
export const groupRoleSchema = z.enum(GROUP_ROLES);
export type GroupRole = z.infer<typeof groupRoleSchema>;

/** `open`: anyone joins at once. `approval`: an admin decides on each application. `invite_only`: only invitations. */
export const JOIN_POLICIES = ['open', 'approval', 'invite_only'] as const;
export const joinPolicySchema = z.enum(JOIN_POLICIES);
export type JoinPolicy = z.infer<typeof joinPolicySchema>;

/**
 * How messages reach members: `inbox` writes each message into every
 * member's inbox; `pull` leaves one marker per member and the client reads
 * the group log with `group.sync`. Fixed at creation by the member limit.
 */
export const groupDeliverySchema = z.enum(['inbox', 'pull']);
export type GroupDelivery = z.infer<typeof groupDeliverySchema>;

/** Bytes of a sender-key ciphertext: the largest text payload plus JSON escaping and the AES-GCM tag. */
export const GROUP_CIPHERTEXT_MAX_BYTES = 6 * TEXT_MAX_BYTES + 1_024;

/**
 * What a group message carries. `group_e2e` is encrypted with the sender's
 * sender key (id `keyId`), which the edge cannot read; `text` is for groups
 * above the end-to-end size, encrypted in transit and at rest only.
 */
export const groupMessageContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().check(z.minLength(1)) }),
  z.object({
    type: z.literal('group_e2e'),
    senderDevice: deviceIdSchema,
    keyId: z.number().check(z.int(), z.nonnegative()),
    iteration: z.number().check(z.int(), z.nonnegative()),
    ciphertext: boundedBytesField(16, GROUP_CIPHERTEXT_MAX_BYTES),
  }),
]);
export type GroupMessageContent = z.infer<typeof groupMessageContentSchema>;

export const groupMessageSchema = z.object({
  id,
  groupId: id,
  from: id,
  cid: z.string(),
  content: groupMessageContentSchema,
  /** Position in the group log: strictly increasing per group. */
  groupSeq: seq,
  ts: z.number(),
});
export type GroupMessage = z.infer<typeof groupMessageSchema>;

/** Info fields that an `info_changed` change reports; only the changed ones are present. */
export const groupInfoFieldsSchema = z.object({
  name: z.optional(z.string()),
  avatarKey: z.optional(z.nullable(z.string())),
  introduction: z.optional(z.string()),
  notice: z.optional(z.string()),
  joinPolicy: z.optional(joinPolicySchema),
  membersCanInvite: z.optional(z.boolean()),
  historyVisible: z.optional(z.boolean()),
});
export type GroupInfoFields = z.infer<typeof groupInfoFieldsSchema>;

/** Something that happened in a group. `by` is the user id who did it. */
export const groupChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('created'), by: id, name: z.string() }),
  /** Also the marker of a `pull` group in the new member's inbox. */
  z.object({ type: z.literal('joined'), userId: id, by: z.optional(id), delivery: groupDeliverySchema }),
  z.object({ type: z.literal('left'), userId: id }),
  z.object({ type: z.literal('kicked'), userId: id, by: id }),
  z.object({ type: z.literal('role_changed'), userId: id, role: groupRoleSchema, by: id }),
  z.object({ type: z.literal('owner_transferred'), from: id, to: id }),
  z.object({ type: z.literal('info_changed'), by: id, fields: groupInfoFieldsSchema }),
  /** To every admin: a user applied, or a member without the right to add invited someone. */
  z.object({
    type: z.literal('application'),
    applicationId: id,
    applicantId: id,
    inviterId: z.optional(id),
    message: z.string(),
  }),
  /** To the applicant: an admin decided. */
  z.object({ type: z.literal('application_result'), applicationId: id, approved: z.boolean(), by: id }),
  z.object({ type: z.literal('dissolved'), by: id }),
]);
export type GroupChange = z.infer<typeof groupChangeSchema>;

/** One entry of a group log, as `group.page` returns it. */
export const groupLogEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), groupSeq: seq, ts: z.number(), message: groupMessageSchema }),
  z.object({ kind: z.literal('change'), groupSeq: seq, ts: z.number(), change: groupChangeSchema }),
]);
export type GroupLogEntry = z.infer<typeof groupLogEntrySchema>;

// ---------------------------------------------------------------------------
// HTTP bodies

/** POST /api/v1/groups */
export const createGroupRequestSchema = z.object({
  name: z.string(),
  avatarKey: z.optional(z.nullable(z.string())),
  introduction: z.optional(z.string()),
  joinPolicy: z.optional(joinPolicySchema),
  memberLimit: z.optional(z.number().check(z.int())),
  membersCanInvite: z.optional(z.boolean()),
  historyVisible: z.optional(z.boolean()),
});
export type CreateGroupRequest = z.infer<typeof createGroupRequestSchema>;

/** PATCH /api/v1/groups/:id: only the fields present change. */
export const updateGroupRequestSchema = groupInfoFieldsSchema;
export type UpdateGroupRequest = GroupInfoFields;

/** POST /api/v1/groups/:id/applications */
export const applyRequestSchema = z.object({ message: z.optional(z.string()) });
/** POST /api/v1/groups/:id/invitations, POST /api/v1/groups/:id/owner, POST /api/v1/groups/:id/admins */
export const userIdRequestSchema = z.object({ userId: id });
/** PATCH /api/v1/groups/:id/members/me */
export const nicknameRequestSchema = z.object({ nickname: z.string() });

export interface GroupInfo {
  id: string;
  name: string;
  avatarKey: string | null;
  introduction: string;
  notice: string;
  joinPolicy: JoinPolicy;
  membersCanInvite: boolean;
  historyVisible: boolean;
  memberLimit: number;
  memberCount: number;
  ownerId: string;
  createdAt: number;
  delivery: GroupDelivery;
  /** `end_to_end` with sender keys, or `transport` (TLS and encryption at rest) above GROUP_E2E_MEMBERS_MAX. */
  encryption: 'end_to_end' | 'transport';
  /** The caller's role, or null when the caller is not a member. */
  myRole: GroupRole | null;
  /** The id of the caller's pending application to this group, or null. */
  myApplicationId: string | null;
}

export interface GroupMember {
  userId: string;
  role: GroupRole;
  nickname: string;
  joinedAt: number;
}

export interface GroupMemberListResponse {
  members: GroupMember[];
  nextCursor: string | null;
}

export interface GroupApplication {
  id: string;
  applicantId: string;
  inviterId: string | null;
  message: string;
  createdAt: number;
}

export interface GroupApplicationListResponse {
  applications: GroupApplication[];
}

/** The answer to an application or an invitation. */
export type JoinResult = { status: 'joined' } | { status: 'pending'; applicationId: string };

export interface GroupSummary {
  id: string;
  name: string;
  memberCount: number;
}

export interface GroupListResponse {
  groups: GroupSummary[];
}
