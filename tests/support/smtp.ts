import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/*
 * A real SMTP server on a random loopback port, for tests: it accepts (or refuses, on demand)
 * what a dispatcher sends and keeps each message parsed the way a mail client would read it.
 */
export interface ReceivedEmail {
  messageId: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  header(name: string): string | undefined;
}

export interface SmtpPeer {
  url: string;
  received: ReceivedEmail[];
  /** Refuse the next `count` messages with this SMTP reply code (451: try later; 550: never). */
  refuseNext(count: number, code: number): void;
  /** Take this long to accept each message (widens races). */
  delayMs: number;
  clear(): void;
  close(): Promise<void>;
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const received: ReceivedEmail[] = [];
  let refuse = { count: 0, code: 451 };
  const peer: Partial<SmtpPeer> & { delayMs: number } = { delayMs: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        if (refuse.count > 0) {
          refuse = { ...refuse, count: refuse.count - 1 };
          const error = Object.assign(new Error(refuse.code >= 500 ? "Mailbox unavailable" : "Try again later"), { responseCode: refuse.code });
          return callback(error);
        }
        try {
          const parsed = await simpleParser(Buffer.concat(chunks));
          if (peer.delayMs) await new Promise((resolve) => setTimeout(resolve, peer.delayMs));
          received.push({
            messageId: parsed.messageId ?? "",
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            headers: parsed.headers,
            header(name: string) {
              const line = parsed.headerLines.find((h) => h.key === name.toLowerCase());
              return line
                ? line.line
                    .slice(line.line.indexOf(":") + 1)
                    .replace(/\r?\n\s+/g, " ")
                    .trim()
                : undefined;
            },
          });
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(peer, {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext(count: number, code: number) {
      refuse = { count, code };
    },
    clear() {
      received.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as SmtpPeer;
}
