import { type BaseInteraction, GuildMember, PermissionFlagsBits } from 'discord.js';
import type { DiscordConfig } from '../config.js';

/**
 * Admins: the users and roles named in ADMIN_USER_IDS / ADMIN_ROLE_IDS when either is
 * set; otherwise members with Manage Server. Checked at run time, on top of the
 * command's default_member_permissions, because server owners can override those.
 */
export function isAdmin(interaction: Pick<BaseInteraction, 'user' | 'member' | 'memberPermissions'>, config: DiscordConfig): boolean {
  if (config.adminUserIds.length > 0 || config.adminRoleIds.length > 0) {
    if (config.adminUserIds.includes(interaction.user.id)) return true;
    const member = interaction.member;
    const roles = member instanceof GuildMember ? [...member.roles.cache.keys()] : (member?.roles ?? []);
    return roles.some((role) => config.adminRoleIds.includes(role));
  }
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}
