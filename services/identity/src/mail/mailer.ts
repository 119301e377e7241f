/**
 * Outgoing mail. With SMTP_URL set it goes to that server (nodemailer); without it, each message
 * is written as an RFC 5322 `.eml` file into `<AGORA_DATA_DIR>/mailbox/`, so the embedded mode
 * needs no mail server and a developer can open the file in any mail client.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { newId } from '@agora/kit/ids';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'mailbox';
  send(mail: Mail): Promise<void>;
  close(): Promise<void>;
}

export interface MailerOptions {
  from: string;
  smtpUrl?: string;
  /** Folder the mailbox adapter writes into; used only without smtpUrl. */
  mailboxDir: string;
}

export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl ? createSmtpMailer(options.smtpUrl, options.from) : createMailboxMailer(options.mailboxDir, options.from);
}

function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    async close() {
      transport.close();
    },
  };
}

function createMailboxMailer(dir: string, from: string): Mailer {
  // The stream transport renders the exact message SMTP would carry, without sending it.
  const render = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'mailbox',
    async send(mail) {
      const { message } = (await render.sendMail({ from, ...mail })) as { message: Buffer };
      await mkdir(dir, { recursive: true });
      // Time-ordered names, so a directory listing reads oldest to newest.
      await writeFile(path.join(dir, `${newId()}.eml`), message, { flag: 'wx' });
    },
    async close() {
      render.close();
    },
  };
}
