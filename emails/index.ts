/**
 * Every mail the portal sends, by name. A message names its template and carries exactly
 * the data that template needs, checked by the compiler at each `enqueueMail` call.
 */
import { renderAccountInvitation, type AccountInvitationData } from "./account-invitation";
import { renderAlreadyRegistered, type AlreadyRegisteredData } from "./already-registered";
import { renderCertificatesIssued, type CertificatesIssuedData } from "./certificates-issued";
import { renderContractChargeFailed, type ContractChargeFailedData } from "./contract-charge-failed";
import { renderContractChargeStaff, type ContractChargeStaffData } from "./contract-charge-staff";
import { renderContractWithdrawn, type ContractWithdrawnData } from "./contract-withdrawn";
import { renderConvocation, type ConvocationData } from "./convocation";
import { renderEnrolmentCancelled, type EnrolmentCancelledData } from "./enrolment-cancelled";
import { renderInvitation, type InvitationData } from "./invitation";
import { renderInvoiceOverdue, type InvoiceOverdueData } from "./invoice-overdue";
import { layoutMail, type MailContent, type MailSender, type RenderedMail } from "./layout";
import { renderPasswordChanged, type PasswordChangedData } from "./password-changed";
import { renderPaymentRefunded, type PaymentRefundedData } from "./payment-refunded";
import { renderRefundRecorded, type RefundRecordedData } from "./refund-recorded";
import { renderRelayApplicationStatus, type RelayApplicationStatusData } from "./relay-application-status";
import { renderRelayStatusChanged, type RelayStatusChangedData } from "./relay-status-changed";
import { renderRechargeLowStock, type RechargeLowStockData } from "./recharge-low-stock";
import { renderRecertificationReminder, type RecertificationReminderData } from "./recertification-reminder";
import { renderResetPassword, type ResetPasswordData } from "./reset-password";
import { renderSessionCancelled, type SessionCancelledData } from "./session-cancelled";
import { renderSessionChanged, type SessionChangedData } from "./session-changed";
import { renderSessionReminder, type SessionReminderData } from "./session-reminder";
import { renderStructureReferentAdded, type StructureReferentAddedData } from "./structure-referent-added";
import { renderSurveyCold, type SurveyColdData } from "./survey-cold";
import { renderSurveyHot, type SurveyHotData } from "./survey-hot";
import { renderVerifyEmail, type VerifyEmailData } from "./verify-email";
import { renderWaitlistJoined, type WaitlistJoinedData } from "./waitlist-joined";
import { renderWaitlistOffer, type WaitlistOfferData } from "./waitlist-offer";

export type TemplateData = {
  "session-cancelled": SessionCancelledData;
  "session-changed": SessionChangedData;
  "verify-email": VerifyEmailData;
  "reset-password": ResetPasswordData;
  "password-changed": PasswordChangedData;
  invitation: InvitationData;
  "account-invitation": AccountInvitationData;
  "already-registered": AlreadyRegisteredData;
  convocation: ConvocationData;
  "waitlist-joined": WaitlistJoinedData;
  "waitlist-offer": WaitlistOfferData;
  "enrolment-cancelled": EnrolmentCancelledData;
  "payment-refunded": PaymentRefundedData;
  "invoice-overdue": InvoiceOverdueData;
  "refund-recorded": RefundRecordedData;
  "session-reminder": SessionReminderData;
  "relay-application-status": RelayApplicationStatusData;
  "relay-status-changed": RelayStatusChangedData;
  "structure-referent-added": StructureReferentAddedData;
  "recharge-low-stock": RechargeLowStockData;
  "survey-hot": SurveyHotData;
  "survey-cold": SurveyColdData;
  "certificates-issued": CertificatesIssuedData;
  "recertification-reminder": RecertificationReminderData;
  "contract-withdrawn": ContractWithdrawnData;
  "contract-charge-failed": ContractChargeFailedData;
  "contract-charge-staff": ContractChargeStaffData;
};

export type TemplateName = keyof TemplateData;

const templates: { [K in TemplateName]: (data: TemplateData[K]) => MailContent } = {
  "session-cancelled": renderSessionCancelled,
  "session-changed": renderSessionChanged,
  "verify-email": renderVerifyEmail,
  "reset-password": renderResetPassword,
  "password-changed": renderPasswordChanged,
  invitation: renderInvitation,
  "account-invitation": renderAccountInvitation,
  "already-registered": renderAlreadyRegistered,
  convocation: renderConvocation,
  "waitlist-joined": renderWaitlistJoined,
  "waitlist-offer": renderWaitlistOffer,
  "enrolment-cancelled": renderEnrolmentCancelled,
  "payment-refunded": renderPaymentRefunded,
  "invoice-overdue": renderInvoiceOverdue,
  "refund-recorded": renderRefundRecorded,
  "session-reminder": renderSessionReminder,
  "relay-application-status": renderRelayApplicationStatus,
  "relay-status-changed": renderRelayStatusChanged,
  "structure-referent-added": renderStructureReferentAdded,
  "recharge-low-stock": renderRechargeLowStock,
  "survey-hot": renderSurveyHot,
  "survey-cold": renderSurveyCold,
  "certificates-issued": renderCertificatesIssued,
  "recertification-reminder": renderRecertificationReminder,
  "contract-withdrawn": renderContractWithdrawn,
  "contract-charge-failed": renderContractChargeFailed,
  "contract-charge-staff": renderContractChargeStaff,
};

type MessageFor<K extends TemplateName> = { template: K; to: string; data: TemplateData[K] };

/** `{ template: "verify-email"; to; data: VerifyEmailData } | { template: "reset-password"; … } | …` */
export type MailMessage = { [K in TemplateName]: MessageFor<K> }[TemplateName];

/** The mail, with the organisation's name and address in its footer when `sender` is given. */
export function renderMailMessage<K extends TemplateName>(message: MessageFor<K>, sender?: MailSender): RenderedMail {
  return layoutMail(templates[message.template](message.data), sender);
}
