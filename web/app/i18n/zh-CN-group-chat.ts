// Simplified Chinese strings of the group chat: conversation list entries, the group chat view and its system lines.

import type { enGroupChat } from './en-group-chat';

export const zhCNGroupChat: Record<keyof typeof enGroupChat, string> = {
  'groupChat.unnamed': '群聊',
  'groupChat.memberCount': '{count} 位成员',
  'groupChat.infoButton': '群聊信息',
  'groupChat.empty': '还没有消息。',
  'groupChat.you': '你',
  'groupChat.someone': '一位成员',
  'groupChat.previewSender': '{name}：',
  'groupChat.transportNotice': '本群消息仅在传输中和服务器上加密，不是端到端加密。',
  'groupChat.removedNotice': '你已不是本群成员，可以查看聊天记录，但不能发送消息。',
  'groupChat.dissolvedNotice': '该群已解散，可以查看聊天记录，但不能发送消息。',
  'groupChat.state.removed': '已不在群内',
  'groupChat.state.dissolved': '已解散',
  'groupChat.system.created': '{actor}创建了群聊“{name}”',
  'groupChat.system.joined': '{user}加入了群聊',
  'groupChat.system.joinedBy': '{user}经{actor}加入了群聊',
  'groupChat.system.left': '{user}退出了群聊',
  'groupChat.system.kicked': '{actor}将{user}移出了群聊',
  'groupChat.system.roleAdmin': '{actor}将{user}设为管理员',
  'groupChat.system.roleMember': '{actor}取消了{user}的管理员身份',
  'groupChat.system.roleOwner': '{user}成为群主',
  'groupChat.system.ownerTransferred': '{from}将群主转让给{to}',
  'groupChat.system.renamed': '{actor}将群名改为“{name}”',
  'groupChat.system.notice': '{actor}发布了新的群公告：{notice}',
  'groupChat.system.infoChanged': '{actor}修改了群资料',
  'groupChat.system.dissolved': '{actor}解散了群聊',
  'groupChat.system.application': '{user}申请加入群聊',
  'groupChat.system.applicationApproved': '你的入群申请已通过',
  'groupChat.system.applicationRejected': '你的入群申请被拒绝',
};
