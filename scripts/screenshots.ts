/*
 * `npm run screenshots`: refreshes the README's pictures from a running demo portal.
 * Start one first (`npm start`), then: BASE_URL=http://localhost:3000 npm run screenshots.
 * The buyer view uses the demo link that `npm start` prints (kept beside the data directory).
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const base = process.env.BASE_URL ?? "http://localhost:3000";
const linkFile = `${path.resolve(process.env.PGLITE_DIR ?? "./data/pglite")}.demo-buyer-link`;
const out = path.resolve("docs/screenshots");
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

async function signIn(email: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/plans/);
  return page;
}

const rep = await signIn("rep1@demo.example");
await rep.screenshot({ path: path.join(out, "plans.png") });
await rep.getByRole("link", { name: "Acme Logistics" }).click();
await rep.waitForLoadState("networkidle");
await rep.screenshot({ path: path.join(out, "plan-workspace.png") });

const manager = await signIn("manager@demo.example");
await manager.goto(`${base}/forecast`);
await manager.screenshot({ path: path.join(out, "forecast.png") });
await manager.goto(`${base}/forecast/accuracy`);
await manager.getByRole("heading", { name: "Error by how long before the close" }).scrollIntoViewIfNeeded();
await manager.screenshot({ path: path.join(out, "forecast-accuracy.png") });

if (fs.existsSync(linkFile)) {
  const buyer = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })).newPage();
  await buyer.goto(`${base}/s/${fs.readFileSync(linkFile, "utf8").trim()}`);
  const open = buyer.getByRole("button", { name: "Open the plan" });
  if (await open.isVisible()) await open.click();
  await buyer.waitForURL(/\/p\//);
  await buyer.getByRole("heading", { name: "Your next steps" }).waitFor();
  await buyer.screenshot({ path: path.join(out, "buyer-phone.png") });
} else {
  console.warn(`No demo buyer link at ${linkFile}: skipped the buyer's view.`);
}

await browser.close();
console.log(`Screenshots written to ${path.relative(process.cwd(), out)}/`);
