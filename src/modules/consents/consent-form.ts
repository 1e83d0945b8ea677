/**
 * The consent forms: recording a consent and withdrawing one. Dates arrive as
 * GOV.UK date inputs; what cannot be read comes back as errors on its boxes,
 * and the service adds its own checks.
 */
import { type DateFieldError, type DateParts, dateParts, optionalDate, readDateParts } from '../../platform/http/date-input.ts';
import { formString } from '../../platform/http/forms.ts';
import { londonToday } from '../../platform/london-time.ts';

export interface ConsentFormValues {
  kind: string;
  recipient: string;
  givenOn: DateParts;
  note: string;
}

/** What the service checks; `givenOn` undefined means left blank. */
export interface ConsentInput {
  kindCode: string;
  recipient: string;
  givenOn: string | null | undefined;
  note: string;
  errors: DateFieldError[];
}

export function readConsentForm(body: unknown): ConsentFormValues {
  return { kind: formString(body, 'kind'), recipient: formString(body, 'recipient'), givenOn: readDateParts(body, 'givenOn'), note: formString(body, 'note') };
}

export function blankConsentForm(): ConsentFormValues {
  return { kind: '', recipient: '', givenOn: dateParts(londonToday()), note: '' };
}

export function consentInputFrom(values: ConsentFormValues): ConsentInput {
  const errors: DateFieldError[] = [];
  const givenOn = optionalDate(values.givenOn, 'The date consent was given', 'givenOn', errors);
  return { kindCode: values.kind, recipient: values.recipient, givenOn, note: values.note, errors };
}

export interface WithdrawFormValues {
  withdrawnOn: DateParts;
  note: string;
  version: string;
}

export interface WithdrawInput {
  withdrawnOn: string | null | undefined;
  note: string;
  version: string;
  errors: DateFieldError[];
}

export function readWithdrawForm(body: unknown): WithdrawFormValues {
  return { withdrawnOn: readDateParts(body, 'withdrawnOn'), note: formString(body, 'note'), version: formString(body, 'version') };
}

export function blankWithdrawForm(version: number): WithdrawFormValues {
  return { withdrawnOn: dateParts(londonToday()), note: '', version: String(version) };
}

export function withdrawInputFrom(values: WithdrawFormValues): WithdrawInput {
  const errors: DateFieldError[] = [];
  const withdrawnOn = optionalDate(values.withdrawnOn, 'The date consent was withdrawn', 'withdrawnOn', errors);
  return { withdrawnOn, note: values.note, version: values.version, errors };
}
