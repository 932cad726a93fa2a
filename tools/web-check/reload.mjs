// Watch a page served by `booklet serve` reload itself, in Debian's Chromium.
//
//   node reload.mjs URL
//
// Prints "opened N" once the page has loaded and its live-reload script is listening
// (N: the build it shows), then "reloaded N" each time the page loads again; stops
// after the second reload or 120 s. tests/test_serve.py drives it.

import puppeteer from "puppeteer-core";

const [url] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  pipe: true,  // Chromium exits by itself if this process dies
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const timer = setTimeout(() => { console.log("timed out"); browser.close(); }, 120000);
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  const generation = () => page.evaluate(
    () => document.querySelector("script[data-generation]")?.getAttribute("data-generation"));
  await page.goto(url, { waitUntil: "load" });
  // The script's event stream is open once the server has sent it the current build.
  await page.waitForNetworkIdle({ idleTime: 300, concurrency: 1 });
  console.log(`opened ${await generation()} ${JSON.stringify(problems)}`);
  for (let reloads = 0; reloads < 2; reloads++) {
    await page.waitForNavigation({ waitUntil: "load", timeout: 110000 });
    const box = await page.evaluate(
      () => document.querySelector(".booklet-problems pre")?.textContent || "");
    console.log(`reloaded ${await generation()} ${JSON.stringify(box)}`);
  }
} finally {
  clearTimeout(timer);
  await browser.close();
}
