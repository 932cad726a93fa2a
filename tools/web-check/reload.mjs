// Watch a page served by `booklet serve` reload itself, in Debian's Chromium.
//
//   node reload.mjs URL
//
// Prints one JSON line each time the page has loaded: the build it shows (the live
// script's data-generation), the text of the problems box, the page's text, and the
// console errors so far (a blocked script would show there). Runs until it is stopped
// (SIGTERM) or for 120 s. tests/test_serve.py drives it.

import puppeteer from "puppeteer-core";

const [url] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  pipe: true,  // Chromium exits by itself if this process dies
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const timer = setTimeout(() => browser.close(), 120000);
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const report = async () => console.log(JSON.stringify(await page.evaluate(() => ({
    generation: document.querySelector("script[data-generation]")?.getAttribute(
      "data-generation"),
    problems: document.querySelector(".booklet-problems pre")?.textContent || "",
    text: document.querySelector("main")?.textContent || "",
  })).then((found) => ({ ...found, errors }))));
  await page.goto(url, { waitUntil: "load" });
  // The script's event stream is open once the server has sent it the current build.
  await page.waitForNetworkIdle({ idleTime: 300, concurrency: 1 });
  await report();
  for (;;) {
    await page.waitForNavigation({ waitUntil: "load", timeout: 0 });
    await report();
  }
} catch (error) {
  if (browser.connected) throw error;  // closed by the timer or a signal: done
} finally {
  clearTimeout(timer);
  if (browser.connected) await browser.close();
}
