// Drives Debian's chromium through playwright-core against a running storydesk server.
// Usage: node tests/web/browser.mjs <base-url> <artifact-dir> <scenario-json>
// scenario: {"search": word, "story_id", "cited_article", "cited_index", "hostile_story", "hostile_article",
//            "related_story": a story of the same subject as story_id}
// Prints one JSON line of results; exits 1 with a message on a failed check.
import path from "node:path";

import { drive } from "./_browser.mjs";

await drive(async ({ base, artifacts, sc, results, page }) => {
  // 1. Story list.
  await page.goto(base + "/");
  results.listTitle = await page.title();
  results.storyLinks = await page.locator(".story-list h2 a").count();
  await page.screenshot({ path: path.join(artifacts, "01-stories.png"), fullPage: true });

  // Keyboard: the first Tab lands on the skip link.
  await page.keyboard.press("Tab");
  results.firstFocus = await page.evaluate(() => document.activeElement && document.activeElement.textContent);

  // 2. Search through the header form.
  await page.fill("#site-q", sc.search);
  await Promise.all([page.waitForURL(/\/search\?q=/), page.press("#site-q", "Enter")]);
  results.searchHits = await page.locator(".hit").count();
  results.searchMarks = await page.locator(".snippet mark").count();
  await page.screenshot({ path: path.join(artifacts, "02-search.png"), fullPage: true });

  // 3. Open the story from the list.
  await page.goto(base + "/");
  await Promise.all([page.waitForURL(new RegExp("/stories/" + sc.story_id)),
                     page.click(`a[href="/stories/${sc.story_id}"]`)]);
  results.storyH2 = await page.locator("article.story h2").first().textContent();
  await page.screenshot({ path: path.join(artifacts, "03-story.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(artifacts, "04-story-phone.png"), fullPage: false });
  results.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  await page.setViewportSize({ width: 1200, height: 900 });

  // 4. Follow the citation to the highlighted sentence.
  const href = `/articles/${sc.cited_article}?s=${sc.cited_index}#s${sc.cited_index}`;
  await Promise.all([page.waitForURL(new RegExp("/articles/" + sc.cited_article)),
                     page.click(`ol.summary a.cite[href="${href}"]`)]);
  await page.waitForLoadState("load");
  results.focusedMark = await page.evaluate(() => !!document.activeElement && document.activeElement.matches("mark.cited"));
  const mark = page.locator("mark.cited");
  results.markCount = await mark.count();
  results.markText = await mark.textContent();
  results.markInViewport = await mark.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
  });
  results.markParentId = await mark.evaluate((el) => el.parentElement.id);
  results.scrollY = await page.evaluate(() => window.scrollY);
  await page.screenshot({ path: path.join(artifacts, "05-article-cited.png") });

  // 5. From the story to a story of the same subject, and to the list of the subject's stories.
  await page.goto(base + `/stories/${sc.story_id}`);
  await Promise.all([page.waitForURL(new RegExp("/stories/" + sc.related_story)),
                     page.click(`section.related a[href="/stories/${sc.related_story}"]`)]);
  results.relatedH2 = await page.locator("article.story h2").first().textContent();
  await Promise.all([page.waitForURL(/\/\?related=/),
                     page.click(`section.related a[href="/?related=${sc.related_story}"]`)]);
  results.subjectLinks = await page.locator(".story-item h2 a").evaluateAll((els) => els.map((e) => e.getAttribute("href")));
  await page.screenshot({ path: path.join(artifacts, "08-subject.png"), fullPage: true });

  // 6. Hostile article: its story and article pages, and its link.
  for (const [name, url] of [["06-hostile-story.png", `/stories/${sc.hostile_story}`],
                             ["07-hostile-article.png", `/articles/${sc.hostile_article}`]]) {
    await page.goto(base + url);
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(artifacts, name), fullPage: true });
    results[name] = {
      pwned: await page.evaluate(() => typeof window.__pwned),
      scripts: await page.evaluate(() => [...document.scripts].map((s) => s.src || "inline")),
      imgs: await page.locator("main img").count(),
      jsLinks: await page.locator('a[href^="javascript:"]').count(),
      text: await page.locator("main").innerText(),
    };
  }
  // Click the text that carried the hostile link: it must be inert text, not a link.
  await page.getByText("click me", { exact: false }).first().click();
  await page.waitForTimeout(200);
  results.pwnedAfterClick = await page.evaluate(() => typeof window.__pwned);
});
