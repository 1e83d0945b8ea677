import type { Transporter } from 'nodemailer';

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
  readonly #smtpUrl: string;
  #transporter: Promise<Transporter> | undefined;

  constructor(smtpUrl: string) {
    this.#smtpUrl = smtpUrl;
  }

  // nodemailer is loaded at the first email rather than at start-up, which it would slow by about a tenth of a second.
  #connect(): Promise<Transporter> {
    this.#transporter ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(this.#smtpUrl));
    return this.#transporter;
  }

  async deliver(message: EmailMessage & { from: string }): Promise<void> {
    const transporter = await this.#connect();
    await transporter.sendMail({
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
