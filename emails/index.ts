/**
 * Every mail the portal sends, by name. A message names its template and carries exactly
 * the data that template needs, checked by the compiler at each `enqueueMail` call.
 */
import { renderAlreadyRegistered, type AlreadyRegisteredData } from "./already-registered";
import { renderInvitation, type InvitationData } from "./invitation";
import type { RenderedMail } from "./layout";
import { renderPasswordChanged, type PasswordChangedData } from "./password-changed";
import { renderResetPassword, type ResetPasswordData } from "./reset-password";
import { renderVerifyEmail, type VerifyEmailData } from "./verify-email";

export type TemplateData = {
  "verify-email": VerifyEmailData;
  "reset-password": ResetPasswordData;
  "password-changed": PasswordChangedData;
  invitation: InvitationData;
  "already-registered": AlreadyRegisteredData;
};

export type TemplateName = keyof TemplateData;

const templates: { [K in TemplateName]: (data: TemplateData[K]) => RenderedMail } = {
  "verify-email": renderVerifyEmail,
  "reset-password": renderResetPassword,
  "password-changed": renderPasswordChanged,
  invitation: renderInvitation,
  "already-registered": renderAlreadyRegistered,
};

type MessageFor<K extends TemplateName> = { template: K; to: string; data: TemplateData[K] };

/** `{ template: "verify-email"; to; data: VerifyEmailData } | { template: "reset-password"; … } | …` */
export type MailMessage = { [K in TemplateName]: MessageFor<K> }[TemplateName];

export function renderMailMessage<K extends TemplateName>(message: MessageFor<K>): RenderedMail {
  return templates[message.template](message.data);
}
