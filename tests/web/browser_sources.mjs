// Drives Debian's chromium through playwright-core: the stories list's "updated since your last visit"
// marks and the Sources page, against a running storydesk server.
// Usage: node tests/web/browser_sources.mjs <base-url> <artifact-dir> <scenario-json>
// scenario: {"cookies": {name: value}, "failing_source": id}
// Prints one JSON line of results; exits 1 with a message on a failed check.
import path from "node:path";

import { drive } from "./_browser.mjs";

await drive(async ({ base, artifacts, sc, results, ctx, page }) => {
  // The cookies the list set on an earlier visit.
  await ctx.addCookies(Object.entries(sc.cookies).map(([name, value]) => ({ name, value, url: base })));

  const marks = async () => ({
    ids: await page.locator("li.story-item.updated h2").evaluateAll((els) => els.map((e) => e.id.slice(2))),
    badges: await page.locator("li.story-item .badge").allInnerTexts(),
    count: await page.locator("#count").innerText(),
    items: await page.locator("li.story-item").count(),
  });

  // 1. The list: the stories written since the last visit are marked.
  await page.goto(base + "/");
  results.first = await marks();
  await page.screenshot({ path: path.join(artifacts, "08-stories-updated.png"), fullPage: true });
  const jar = await ctx.cookies(base);
  results.cookies = Object.fromEntries(jar.map((c) => [c.name, { value: c.value, httpOnly: c.httpOnly, sameSite: c.sameSite }]));
  results.scriptCookies = await page.evaluate(() => document.cookie);

  // 2. Reloading within the visit keeps the marks.
  await page.reload();
  results.reloaded = await marks();

  // 3. The Sources page, through the site navigation.
  await Promise.all([page.waitForURL(/\/sources$/), page.click('header nav a[href="/sources"]')]);
  results.sourcesTitle = await page.title();
  results.navCurrent = await page.locator('header nav a[aria-current="page"]').innerText();
  results.rows = await page.locator("table.sources tbody tr").count();
  results.headers = await page.locator("table.sources thead th").allInnerTexts();
  results.failingStatus = await page.locator(`#src-${sc.failing_source} td.status`).innerText();
  results.watch = await page.locator("#watch").innerText();
  results.count = await page.locator("#count").innerText();
  results.pwned = await page.evaluate(() => typeof window.__pwned);
  results.imgs = await page.locator("main img").count();
  results.scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src || "inline"));
  results.mainText = await page.locator("main").innerText();
  await page.screenshot({ path: path.join(artifacts, "09-sources.png"), fullPage: true });

  // 4. On a phone the table scrolls inside its region; the page itself does not overflow.
  await page.setViewportSize({ width: 390, height: 844 });
  results.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  results.regionScrolls = await page.locator(".table-wrap").evaluate((el) => el.scrollWidth > el.clientWidth);
  await page.screenshot({ path: path.join(artifacts, "10-sources-phone.png"), fullPage: false });
  // The scrolling region is reachable by keyboard (so it can be scrolled without a pointer).
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.locator(".table-wrap").focus();
  results.regionFocused = await page.evaluate(() => document.activeElement.classList.contains("table-wrap"));
});
