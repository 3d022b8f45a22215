import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { Db } from '../database/sql';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { AddMemberDto, MeDto, MemberDto, MemberListDto } from './dto/users.dto';
import type { Principal, Viewer } from './principal';
import { GLOBAL_ROLES, GlobalRole, ORGANISATION_ROLES, OrganisationRole } from './user.entity';
import { MemberRow, UserRow, UsersRepository } from './users.repository';

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

function toMember(r: MemberRow): MemberDto {
  return { userId: r.user_id, name: r.name, email: r.email, kind: r.kind, role: r.role, since: new Date(r.created_at).toISOString() };
}

export function signedIn(viewer: Viewer): Principal {
  if (!viewer.principal) throw new DomainError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This operation needs credentials: Authorization: Bearer <token> or ApiKey <key>');
  return viewer.principal;
}

/** Users, their organisation memberships and global roles. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly organisations: OrganisationsRepository,
  ) {}

  me(viewer: Viewer): MeDto {
    const p = signedIn(viewer);
    return {
      id: p.userId,
      kind: p.kind,
      name: p.name,
      email: p.email,
      globalRole: p.globalRole,
      memberships: p.memberships.map((m) => ({ organisation: { code: m.organisationCode, name: m.organisationName }, role: m.role })),
      authenticatedBy: p.via,
    };
  }

  async listMembers(viewer: Viewer, code: string): Promise<MemberListDto> {
    const org = await this.organisation(code);
    signedIn(viewer);
    if (!viewer.seesAll && !viewer.memberOf.includes(org.id)) {
      throw new DomainError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `Only members of ${org.code} and coordinators see its members`);
    }
    const items = (await this.users.members(this.dataSource, org.id)).map(toMember);
    return { items, total: items.length };
  }

  /** Adds a member (or changes the role of an existing one). */
  async addMember(viewer: Viewer, code: string, body: AddMemberDto): Promise<MemberDto> {
    const org = await this.organisation(code);
    this.mayManage(viewer, org);
    return this.dataSource.transaction(async (tx) => {
      const user = await this.findUser(tx, body.user);
      await this.keepAnAdmin(tx, viewer, org.id, user.id, body.role as OrganisationRole);
      await this.users.upsertMembership(tx, org.id, user.id, body.role as OrganisationRole);
      return toMember((await this.users.member(tx, org.id, user.id))!);
    });
  }

  async changeMember(viewer: Viewer, code: string, userId: string, role: OrganisationRole): Promise<MemberDto> {
    const org = await this.organisation(code);
    this.mayManage(viewer, org);
    return this.dataSource.transaction(async (tx) => {
      if (!isUuid(userId) || !(await this.users.member(tx, org.id, userId))) throw memberNotFound(userId, org.code);
      await this.keepAnAdmin(tx, viewer, org.id, userId, role);
      await this.users.upsertMembership(tx, org.id, userId, role);
      return toMember((await this.users.member(tx, org.id, userId))!);
    });
  }

  async removeMember(viewer: Viewer, code: string, userId: string): Promise<void> {
    const org = await this.organisation(code);
    this.mayManage(viewer, org);
    await this.dataSource.transaction(async (tx) => {
      if (!isUuid(userId) || !(await this.users.member(tx, org.id, userId))) throw memberNotFound(userId, org.code);
      await this.keepAnAdmin(tx, viewer, org.id, userId, undefined);
      await this.users.deleteMembership(tx, org.id, userId);
    });
  }

  /**
   * CLI bootstrap (`users grant`): gives a user a global role or an organisation role. A user named by
   * `--subject` is created when absent, so the first admin can be set up before they sign in.
   */
  async grant(o: { subject?: string; email?: string; name?: string; role: string; organisation?: string }): Promise<{ user: UserRow; created: boolean; what: string }> {
    return this.dataSource.transaction(async (tx) => {
      let user: UserRow | undefined;
      let created = false;
      if (o.subject) {
        user = await this.users.findBySubject(tx, o.subject);
        if (!user) {
          user = await this.users.insert(tx, { kind: 'user', subject: o.subject, name: o.name ?? o.email ?? o.subject, email: o.email ?? null, globalRole: null });
          created = true;
        }
      } else if (o.email) {
        user = await this.findUser(tx, o.email);
      } else {
        throw DomainError.badRequest('USER_REQUIRED', 'Name the user with --subject (OpenID Connect subject) or --email (a user who has signed in)');
      }
      if (o.organisation) {
        if (!ORGANISATION_ROLES.includes(o.role as OrganisationRole)) {
          throw DomainError.badRequest('ROLE_INVALID', `An organisation role is one of ${ORGANISATION_ROLES.join(', ')}`);
        }
        const orgId = await this.organisations.findIdByCode(tx, o.organisation);
        if (!orgId) throw DomainError.notFound('organisation', o.organisation);
        await this.users.upsertMembership(tx, orgId, user!.id, o.role as OrganisationRole);
        return { user: user!, created, what: `${o.role} of ${o.organisation}` };
      }
      if (![...GLOBAL_ROLES, 'none'].includes(o.role)) {
        throw DomainError.badRequest('ROLE_INVALID', `A global role is one of ${GLOBAL_ROLES.join(', ')} (or none to take it away); add --organisation for viewer/editor/admin of an organisation`);
      }
      await this.users.setGlobalRole(tx, user!.id, o.role === 'none' ? null : (o.role as GlobalRole));
      return { user: user!, created, what: o.role === 'none' ? 'no global role' : `global ${o.role}` };
    });
  }

  private async organisation(code: string): Promise<{ id: string; code: string }> {
    const row = await this.organisations.findByCode(code);
    if (!row) throw DomainError.notFound('organisation', code.slice(0, 100));
    return { id: row.id, code: row.code };
  }

  private mayManage(viewer: Viewer, org: { id: string; code: string }): void {
    const p = signedIn(viewer);
    if (p.globalRole === 'admin' || p.globalRole === 'coordinator' || viewer.adminOf.includes(org.id)) return;
    throw new DomainError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `Only admins of ${org.code} and coordinators manage its members`);
  }

  /** An organisation admin cannot leave the organisation without an admin (coordinators can). */
  private async keepAnAdmin(db: Db, viewer: Viewer, orgId: string, userId: string, newRole: OrganisationRole | undefined): Promise<void> {
    if (viewer.seesAll || newRole === 'admin') return;
    const current = await this.users.member(db, orgId, userId);
    if (current?.role !== 'admin') return;
    if ((await this.users.adminCountForUpdate(db, orgId)) <= 1) {
      throw DomainError.conflict('LAST_ADMIN', 'This is the organisation\'s last admin: make someone else admin first (or ask a coordinator)');
    }
  }

  /** A person by user id, e-mail or (with `bySubject`) OpenID Connect subject. */
  async findUser(db: Db, ref: string, bySubject = false): Promise<UserRow> {
    if (isUuid(ref)) {
      const u = await this.users.findById(ref, db);
      if (u) return u;
    } else if (ref.includes('@')) {
      const found = await this.users.findByEmail(db, ref);
      if (found.length > 1) throw DomainError.conflict('USER_AMBIGUOUS', `More than one user has the e-mail ${ref}: use the user id`);
      if (found.length === 1) return found[0];
    }
    if (bySubject) {
      const u = await this.users.findBySubject(db, ref);
      if (u) return u;
    }
    throw new DomainError(HttpStatus.NOT_FOUND, 'USER_NOT_FOUND', `No user ${JSON.stringify(ref.slice(0, 100))}: users exist once they have signed in`);
  }
}

function memberNotFound(userId: string, code: string): DomainError {
  return new DomainError(HttpStatus.NOT_FOUND, 'MEMBER_NOT_FOUND', `User ${JSON.stringify(userId.slice(0, 100))} is not a member of ${code}`);
}
