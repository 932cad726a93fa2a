// Web edition checks in Debian's Chromium, driven by puppeteer-core (no browser download).
//
//   node check.mjs OUT.json PAGE.html [PAGE.html ...]
//
// For each page, at 1000 px and at 320 px wide: every URL the browser requested, any
// Content-Security-Policy violation, whether the page scrolls sideways, and axe-core's
// WCAG 2.1 A and AA violations. Each page is also printed to an A4 PDF beside OUT.json.
// Writes the findings as JSON; tests/test_web_browser.py reads them.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WIDTHS = [1000, 320];

const [output, ...pages] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  pipe: true,  // Chromium exits by itself if this process dies
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"],
});
const results = {};
try {
  for (const file of pages) {
    const found = (results[file] = { requests: [], violations: {}, overflow: {},
                                      csp: [], pdf: null });
    for (const width of WIDTHS) {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 900 });
      page.on("request", (request) => found.requests.push(request.url()));
      await page.evaluateOnNewDocument(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          (window.__violations = window.__violations || []).push(
            `${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      found.overflow[width] = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      found.csp.push(...await page.evaluate(() => window.__violations || []));
      // DevTools evaluation is not subject to the page's policy, so axe can run.
      await page.evaluate(AXE);
      const axe = await page.evaluate(
        (tags) => axe.run(document, { runOnly: { type: "tag", values: tags },
                                      resultTypes: ["violations"] }), TAGS);
      found.violations[width] = axe.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map((n) => n.target.join(" ")) }));
      if (width === WIDTHS[0]) {
        found.pdf = join(dirname(output), basename(file, ".html") + "-print.pdf");
        await page.pdf({ path: found.pdf, format: "A4", printBackground: false });
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
}
writeFileSync(output, JSON.stringify(results, null, 1));
