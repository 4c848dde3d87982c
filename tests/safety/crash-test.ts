/*
 * `npm run crash-test` (item 6 of the safety suite): the built server on a scratch PostgreSQL
 * database, edited by several clients at once and killed with SIGKILL at random moments
 * (CRASH_KILLS, default 20), restarted each time. Then it checks that every edit the server
 * acknowledged is there with its log entry and stored schedule, that nothing is half-written (a
 * change without its log entry or the other way round, counters that disagree with the rows, a
 * broken hash chain), and that every queued email reaches the SMTP server, counting duplicates and
 * whether each falls in the crash window between the SMTP server's acceptance and the outbox update.
 *
 * CRASH_KILLS=20 CRASH_WORKERS=4 CRASH_SMTP_DELAY_MS=250 npm run crash-test
 */
import { openDatabase } from "~/infra/db.server";
import { startSmtpPeer } from "../support/smtp";
import { killHard, requireBuild, scratchDatabase, startServer, stopGracefully, type ServerProcess } from "../support/server-process";
import { checkEdits, checkEmails, createEditor, waitForDueEmails, type EditOutcome } from "./edit-workload";

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const WORKERS = Number(process.env.CRASH_WORKERS ?? 4);
const PORT = Number(process.env.CRASH_PORT ?? 3460);
const SMTP_DELAY_MS = Number(process.env.CRASH_SMTP_DELAY_MS ?? 250);
const DRAIN_SECONDS = Number(process.env.CRASH_DRAIN_SECONDS ?? 200);

requireBuild();
const started = performance.now();
const scratch = await scratchDatabase("pt_crash");
const smtp = await startSmtpPeer();
smtp.delayMs = SMTP_DELAY_MS;
const database = await openDatabase({ databaseUrl: scratch.url });
const db = database.db;
const env = { SMTP_URL: smtp.url, EMAIL_DISPATCHER: "on" };
let server: ServerProcess = await startServer({ port: PORT, databaseUrl: scratch.url, env });

try {
  const editor = await createEditor(db, server.origin);
  const attempts = editor.attempts;
  const killedAtReceived: number[] = [];
  let running = true;
  let up = true;

  const workers = Array.from({ length: WORKERS }, async () => {
    while (running) {
      if (!up) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      await editor.oneEdit(server.origin);
    }
  });

  let inWindow = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 2500));
    // Every other kill waits (up to 6 s) for the SMTP server to take a message and kills while it
    // holds its reply (CRASH_SMTP_DELAY_MS): the crash window between acceptance and the outbox update.
    if (kill % 2 === 0) {
      const before = smtp.received.length;
      const until = Date.now() + 6000;
      while (smtp.received.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      if (smtp.received.length > before) inWindow++;
    }
    killedAtReceived.push(smtp.received.length);
    up = false;
    await killHard(server);
    process.stdout.write(`kill ${kill}/${KILLS} (${attempts.length} edits so far) … `);
    server = await startServer({ port: PORT, databaseUrl: scratch.url, env });
    up = true;
    process.stdout.write("restarted\n");
  }
  await new Promise((r) => setTimeout(r, 1500));
  running = false;
  await Promise.all(workers);

  // Every queued email eventually goes out: claimed rows orphaned by a kill wait for their lease.
  await waitForDueEmails(db, DRAIN_SECONDS);

  const edits = await checkEdits(db, attempts);
  const emails = await checkEmails(db, smtp.received, killedAtReceived);
  const problems = [...edits.problems, ...emails.problems];
  const count = (o: EditOutcome) => attempts.filter((a) => a.outcome === o).length;
  const seconds = (performance.now() - started) / 1000;
  console.log(`
Crash test on PostgreSQL: ${KILLS} kill -9s (${KILLS - inWindow} at random moments, ${inWindow} while the SMTP server held its reply to a message), ${WORKERS} concurrent editors, ${seconds.toFixed(0)} s
  edits attempted          ${attempts.length}: acknowledged ${count("acknowledged")}, refused (4xx) ${count("refused")}, server errors ${count("server error")}, outcome unknown (connection cut) ${edits.unknown} (${edits.unknownCommitted} of them committed), not sent (server down) ${count("not sent")}
  acknowledged and present ${edits.acknowledged - edits.acknowledgedMissing}/${edits.acknowledged} (comments, titles, toggles and links; comments and titles checked by content)
  log                      ${edits.chains.plans} plans, ${edits.chains.events} events, ${edits.chains.broken} broken chains
  half-written             ${edits.halfWritten} (comment without log entry or log entry without comment, counters or stored schedule out of step, title vs last logged change)
  emails                   ${emails.due} due (and ${emails.later} scheduled for later, e.g. reminders): ${emails.sent} sent, ${emails.notSent} not sent; SMTP accepted ${emails.accepted}; duplicates ${emails.duplicates} (${emails.duplicates - emails.unexplained} inside the crash window, ${emails.unexplained} outside); lost ${emails.lost}
  result                   ${problems.length ? `${problems.length} PROBLEM(S)` : "every check held"}`);
  for (const p of problems.slice(0, 30)) console.log(`  - ${p}`);
  process.exitCode = problems.length ? 1 : 0;
} finally {
  await stopGracefully(server);
  await database.close();
  await smtp.close();
  await scratch.drop();
}
