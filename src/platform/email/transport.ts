import nodemailer, { type Transporter } from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where email goes. Swap implementations by configuration; services only see this. */
export interface EmailTransport {
  readonly name: string;
  deliver(message: EmailMessage & { from: string }): Promise<void>;
}

/** Development and test: the outbox row is the delivery, read on the admin outbox page. */
export class OutboxOnlyTransport implements EmailTransport {
  readonly name = 'outbox';
  async deliver(): Promise<void> {}
}

export class SmtpTransport implements EmailTransport {
  readonly name = 'smtp';
  readonly #transporter: Transporter;

  constructor(smtpUrl: string) {
    this.#transporter = nodemailer.createTransport(smtpUrl);
  }

  async deliver(message: EmailMessage & { from: string }): Promise<void> {
    await this.#transporter.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  }
}

export function transportFor(smtpUrl: string | undefined): EmailTransport {
  return smtpUrl ? new SmtpTransport(smtpUrl) : new OutboxOnlyTransport();
}
