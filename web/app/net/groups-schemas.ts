// Schemas for the group bodies the edge returns, each typed against its
// interface in protocol/groups.ts so the two cannot drift apart.

import * as z from 'zod/mini';
import {
  groupDeliverySchema,
  groupRoleSchema,
  joinPolicySchema,
  type GroupApplication,
  type GroupApplicationListResponse,
  type GroupInfo,
  type GroupListResponse,
  type GroupMember,
  type GroupMemberListResponse,
  type GroupSummary,
  type JoinResult,
} from '../../../protocol/groups';

export const groupInfoSchema: z.ZodMiniType<GroupInfo> = z.object({
  id: z.string(),
  name: z.string(),
  avatarKey: z.nullable(z.string()),
  introduction: z.string(),
  notice: z.string(),
  joinPolicy: joinPolicySchema,
  membersCanInvite: z.boolean(),
  historyVisible: z.boolean(),
  memberLimit: z.number(),
  memberCount: z.number(),
  ownerId: z.string(),
  createdAt: z.number(),
  delivery: groupDeliverySchema,
  encryption: z.enum(['end_to_end', 'transport']),
  myRole: z.nullable(groupRoleSchema),
  myApplicationId: z.nullable(z.string()),
});

const groupMemberSchema: z.ZodMiniType<GroupMember> = z.object({
  userId: z.string(),
  role: groupRoleSchema,
  nickname: z.string(),
  joinedAt: z.number(),
});

export const groupMemberListSchema: z.ZodMiniType<GroupMemberListResponse> = z.object({
  members: z.array(groupMemberSchema),
  nextCursor: z.nullable(z.string()),
});

const groupApplicationSchema: z.ZodMiniType<GroupApplication> = z.object({
  id: z.string(),
  applicantId: z.string(),
  inviterId: z.nullable(z.string()),
  message: z.string(),
  createdAt: z.number(),
});

export const groupApplicationListSchema: z.ZodMiniType<GroupApplicationListResponse> = z.object({
  applications: z.array(groupApplicationSchema),
});

const groupSummarySchema: z.ZodMiniType<GroupSummary> = z.object({
  id: z.string(),
  name: z.string(),
  memberCount: z.number(),
});

export const groupListSchema: z.ZodMiniType<GroupListResponse> = z.object({
  groups: z.array(groupSummarySchema),
});

export const joinResultSchema: z.ZodMiniType<JoinResult> = z.union([
  z.object({ status: z.literal('joined') }),
  z.object({ status: z.literal('pending'), applicationId: z.string() }),
]);
