import * as audit from '../../platform/audit/service.ts';
import type { Actor } from '../../platform/audit/service.ts';
import { hashPassword, passwordProblem } from '../../platform/auth/passwords.ts';
import { isRole, type Role } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { type FieldError, ValidationFailed } from '../../platform/http/errors.ts';
import { isEmail } from '../../platform/http/forms.ts';
import * as queries from './queries.ts';

export interface NewUser {
  organisationId: string;
  teamId?: string | null;
  email: string;
  displayName: string;
  role: string;
  practitionerKind?: 'employment_specialist' | 'caseworker' | null;
}

export async function validateNewUser(db: Db, input: NewUser): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const email = input.email.trim();
  if (!email) errors.push({ field: 'email', text: 'Enter an email address' });
  else if (!isEmail(email)) errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.org' });
  else if (await queries.emailTaken(db, email)) errors.push({ field: 'email', text: 'A user with this email address already exists' });
  if (!input.displayName.trim()) errors.push({ field: 'displayName', text: 'Enter the person’s name' });
  else if (input.displayName.trim().length > 100) errors.push({ field: 'displayName', text: 'Name must be 100 characters or fewer' });
  if (!isRole(input.role)) errors.push({ field: 'role', text: 'Select a role' });
  return errors;
}

/**
 * Creates an active user with a password, for the CLI and demo data. People
 * joining through the app are invited instead, and choose their own password.
 */
export async function createUserWithPassword(db: Db, actor: Actor, input: NewUser & { password: string }) {
  const errors = await validateNewUser(db, input);
  const problem = passwordProblem(input.password, input.email);
  if (problem) errors.push({ field: 'password', text: problem });
  if (errors.length > 0) throw new ValidationFailed(errors);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const user = await queries.insertUser(trx, {
      organisation_id: input.organisationId,
      team_id: input.teamId ?? null,
      email: input.email.trim(),
      display_name: input.displayName.trim(),
      role: input.role as Role,
      practitioner_kind: input.practitionerKind ?? null,
      status: 'active',
      password_hash: passwordHash,
    });
    await audit.record(trx, {
      organisationId: input.organisationId,
      actor,
      action: 'user.created',
      subjectType: 'user',
      subjectId: user.id,
      detail: { role: input.role },
    });
    return user;
  });
}
