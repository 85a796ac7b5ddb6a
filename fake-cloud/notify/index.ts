export { Notifier, DEFAULT_RETRY, refOf, type NotifierOptions, type NotificationRow, type NotifierFaults, type RetryPolicy, type Channel } from './notifier.ts';
export { MailCapture, type CapturedMail, type MailQuery } from './mail-capture.ts';
export { SmtpMailer, messageIdOf, type OutgoingMail } from './smtp-mailer.ts';
export { SmsGateway, SmsGatewayError, type SmsMessage, type SmsAttempt, type SmsSubmit } from './sms-gateway.ts';
export { MemoryRecipients, wants, type Recipient, type RecipientSource } from './recipients.ts';
export { mailBody, mailSubject, smsText, localTime, type AlarmNotice, type TextOptions } from './message-text.ts';
