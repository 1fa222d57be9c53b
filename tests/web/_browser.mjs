// What every browser check shares: Debian's chromium through playwright-core, a throw-away profile, the
// page allowed to reach only the storydesk server under test, console errors collected.
// A driver calls `drive(check)` and is run as: node <driver> <base-url> <artifact-dir> <scenario-json>.
// `check({base, artifacts, sc, results, ctx, page})` fills `results`; one JSON line of them is printed
// (with `consoleErrors`), also after a failed check, which sets exit status 1.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export async function drive(check) {
  const [base, artifacts, scenarioJson] = process.argv.slice(2);
  const sc = JSON.parse(scenarioJson);
  fs.mkdirSync(artifacts, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "storydesk-chromium-"));
  const results = {};

  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1200, height: 900 },
  });
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    const consoleErrors = [];
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    // Only our own server may be contacted.
    await page.route("**/*", (route) =>
      route.request().url().startsWith(base) ? route.continue() : route.abort());
    await check({ base, artifacts, sc, results, ctx, page });
    results.consoleErrors = consoleErrors;
    console.log(JSON.stringify(results));
  } catch (err) {
    console.error("browser check failed: " + (err && err.stack || err));
    console.log(JSON.stringify(results));
    process.exitCode = 1;
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
