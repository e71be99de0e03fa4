// Runs the MNIST tutorial in a real JupyterLab, in Debian's Chromium driven by playwright-core:
// starts JupyterLab headless on 127.0.0.1 (a free port, a random token) in a scratch directory
// holding a copy of the notebook, opens it, checks that the neurust kernel is the one in use,
// runs all cells, waits for them, asserts that every cell ran, that the images rendered and that
// no error output appeared, then saves a screenshot. Always stops its server and browser.
//
// Environment: JUPYTER (the jupyter command), NOTEBOOK (the .ipynb to copy), SCREENSHOT (PNG
// path), CHROMIUM (default /usr/bin/chromium), JUPYTER_PATH (where the neurust spec is), EXPECT
// (what the page must show; see below).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const JUPYTER = process.env.JUPYTER || 'jupyter';
const NOTEBOOK = process.env.NOTEBOOK;
const SCREENSHOT = process.env.SCREENSHOT;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// What the run must show (EXPECT, JSON): texts on the page, the accuracy line and its floor, the
// least number of images, how long running all cells may take, and the two cells whose outputs
// the screenshot shows, the cells whose charts JupyterLab must draw from their Vega-Lite spec
// (hover-able, beside the SVG that other viewers show), a text the first of those charts must
// show in a tooltip when hovered, and edits to make to the copy before it runs ([from, to]
// pairs). The default is the MLP tutorial's.
const EXPECT = JSON.parse(process.env.EXPECT || 'null') || {
  texts: ['[60000, 28, 28] [60000]', '203,530', 'predicted digit: 6'],
  accuracy: 'test accuracy: ([0-9.]+)',
  minAccuracy: 0.97,
  minImages: 5,
  shots: ['digit_grid(&x_train', 'plot_history(&historico)'],
  vega: ['plot_history(&historico)', 'hist(&y_train'],
  tooltip: 'epoch',
};
const SERVER_TIMEOUT = 60_000;
const KERNEL_TIMEOUT = 180_000;
const RUN_TIMEOUT = (EXPECT.runSeconds || 300) * 1000;

const t0 = Date.now();
const log = (msg) => console.log(`[browser ${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}`);

// Hovers the markers of the chart of the cell whose code holds `needle` until vega-tooltip's
// element shows; returns its text ('' if it never does). Only markers answer the pointer, so
// the spots to try are read from the chart's picture: the leftmost pixel of each of its main
// colours is the edge of the first marker of a curve (Vega draws with a canvas here; with an
// SVG, each marker's box).
async function hoverTooltip(page, needle) {
  const cell = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')
    .filter({ has: page.locator('.jp-InputArea-editor', { hasText: needle }) }).first();
  const chart = cell.locator('.jp-OutputArea-output .vega-embed :is(svg, canvas)').first();
  await chart.scrollIntoViewIfNeeded();
  const spots = await chart.evaluate((el) => {
    const rect = el.getBoundingClientRect();
    if (el.tagName !== 'CANVAS') {
      return [...el.querySelectorAll('.mark-symbol path')].map((p) => {
        const b = p.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      });
    }
    const { width, height } = el;
    const px = el.getContext('2d').getImageData(0, 0, width, height).data;
    const colours = new Map(); // colour -> { count, x, y } of its leftmost pixel
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const [r, g, b, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
        if (a < 250 || Math.max(r, g, b) - Math.min(r, g, b) < 80) continue; // greys: axes, text
        const key = `${r},${g},${b}`;
        const c = colours.get(key) || { count: 0, x, y };
        c.count += 1;
        if (x < c.x) Object.assign(c, { x, y });
        colours.set(key, c);
      }
    }
    const [sx, sy] = [rect.width / width, rect.height / height];
    return [...colours.values()].filter((c) => c.count >= 50)
      .map((c) => ({ x: rect.left + (c.x + 0.5) * sx, y: rect.top + (c.y + 0.5) * sy }));
  });
  if (process.env.HOVER_DEBUG) log(`hover: spots ${JSON.stringify(spots)}`);
  for (const spot of spots) {
    for (const [dx, dy] of [[3, 0], [2, 0], [4, 0], [3, -1], [3, 1], [1, 0], [5, 0]]) {
      await page.mouse.move(spot.x + dx, spot.y + dy);
      const text = await page.evaluate(() => {
        const tip = document.getElementById('vg-tooltip-element');
        return tip?.classList.contains('visible') ? tip.innerText : '';
      });
      if (text) {
        await page.mouse.move(0, 0); // the tooltip goes, before the screenshot
        return text;
      }
    }
  }
  return '';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, server) {
  const deadline = Date.now() + SERVER_TIMEOUT;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter lab exited with code ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`JupyterLab did not answer ${url} within ${SERVER_TIMEOUT / 1000} s`);
}

function writeSettings(dir) {
  // No network: no news or update checks; every cell stays in the DOM (no windowing) so the
  // test can see all of them.
  const put = (plugin, file, value) => {
    const d = path.join(dir, plugin);
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, file), JSON.stringify(value, null, 1));
  };
  put('@jupyterlab/apputils-extension', 'notification.jupyterlab-settings',
    { fetchNews: 'false', checkForUpdates: false });
  put('@jupyterlab/notebook-extension', 'tracker.jupyterlab-settings', { windowingMode: 'none' });
}

async function main() {
  if (!NOTEBOOK || !SCREENSHOT) throw new Error('set NOTEBOOK and SCREENSHOT');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'neurust-browser-'));
  const work = path.join(scratch, 'work');
  fs.mkdirSync(work);
  const name = path.basename(NOTEBOOK);
  // A copy without the committed outputs, so everything checked below comes from this run.
  const nb = JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8'));
  for (const cell of nb.cells) {
    if (cell.cell_type === 'code') { cell.outputs = []; cell.execution_count = null; }
  }
  // Edits to the copy (EXPECT.replace: [from, to] pairs), each of which must apply.
  for (const [from, to] of EXPECT.replace || []) {
    const cell = nb.cells.find((c) => c.cell_type === 'code' && [].concat(c.source).join('').includes(from));
    if (!cell) throw new Error(`no code cell contains ${JSON.stringify(from)}`);
    cell.source = [].concat(cell.source).join('').replace(from, to);
    log(`edited the copy: ${JSON.stringify(from)} -> ${JSON.stringify(to)}`);
  }
  fs.writeFileSync(path.join(work, name), JSON.stringify(nb, null, 1));
  writeSettings(path.join(scratch, 'settings'));

  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const serverLog = path.join(scratch, 'jupyter.log');
  const logFd = fs.openSync(serverLog, 'w');
  const server = spawn(JUPYTER, [
    'lab', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${work}`,
    '--allow-root', '--LabApp.extension_manager=readonly',
    '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
  ], {
    stdio: ['ignore', logFd, logFd],
    detached: true,
    env: {
      ...process.env,
      JUPYTERLAB_SETTINGS_DIR: path.join(scratch, 'settings'),
      JUPYTERLAB_WORKSPACES_DIR: path.join(scratch, 'workspaces'),
      JUPYTER_RUNTIME_DIR: path.join(scratch, 'runtime'),
    },
  });
  // Kernels run in their own process groups: kill every process started with our scratch
  // directory on its command line (their connection files live there), then the server.
  const stopServer = () => {
    for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmd.includes(scratch) && Number(pid) !== server.pid) process.kill(-Number(pid), 'SIGKILL');
      } catch { /* gone, or not a group leader */ }
    }
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.on(signal, () => {
      stopServer();
      fs.rmSync(scratch, { recursive: true, force: true });
      process.exit(1);
    });
  }
  let browser;
  let failed = false;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForServer(`${base}/api/status?token=${token}`, server);
    log(`JupyterLab up on ${base}`);

    browser = await chromium.launchPersistentContext(path.join(scratch, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1320 },
      deviceScaleFactor: 1,
    });
    const page = browser.pages()[0] || await browser.newPage();
    const consoleErrors = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(`${base}/lab/tree/${name}?token=${token}`, { timeout: SERVER_TIMEOUT });

    // The notebook is open and its kernel, from the notebook's metadata, is the neurust one.
    const panel = page.locator('.jp-NotebookPanel:visible');
    await panel.locator('.jp-Notebook .jp-Cell').first().waitFor({ timeout: SERVER_TIMEOUT });
    const kernelName = panel.locator('.jp-Toolbar-kernelName');
    await page.waitForFunction(
      () => [...document.querySelectorAll('.jp-NotebookPanel .jp-Toolbar-kernelName')]
        .some((e) => e.textContent.includes('Rust (neurust)')),
      null, { timeout: KERNEL_TIMEOUT });
    log(`kernel: ${(await kernelName.first().textContent()).trim()}`);
    // Wait until the kernel shows idle (its start-up preload done), and check that it never
    // rested on idle while it still loaded: a learner who runs the first cell then would wait
    // with no sign of why. "Rested": idle in four polls in a row (a one-frame idle between a
    // request's idle and the loading kernel's next busy is not something anyone sees).
    const seen = new Set();
    let idlePolls = 0;
    const idleDeadline = Date.now() + KERNEL_TIMEOUT;
    while (idlePolls < 4) {
      if (Date.now() > idleDeadline) throw new Error(`the kernel never showed idle (saw: ${[...seen]})`);
      const status = await page.evaluate(() => document
        .querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')?.getAttribute('data-status'));
      if (status) seen.add(status);
      idlePolls = status === 'idle' ? idlePolls + 1 : 0;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The kernel logs "ready after" before it publishes the idle that ends its loading.
    if (!fs.readFileSync(serverLog, 'utf8').includes('neurust-kernel: ready after')) {
      throw new Error(`JupyterLab showed the kernel idle before it had loaded (saw: ${[...seen]})`);
    }
    if (!seen.has('busy')) throw new Error(`JupyterLab never showed the loading kernel busy (saw: ${[...seen]})`);
    log(`kernel idle (statuses shown while it loaded: ${[...seen].join(', ')})`);

    const before = await panel.locator('.jp-OutputArea-output').count();
    if (before !== 0) throw new Error(`the copy should start without outputs, found ${before}`);
    // Run > Run All Cells, from the menu bar as a learner would.
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
    const codeCells = panel.locator('.jp-CodeCell');
    const total = await codeCells.count();
    log(`running ${total} code cells`);
    const runStart = Date.now();
    // Done when every code cell shows an execution number (none queued "[*]" or unrun "[ ]").
    await page.waitForFunction(
      () => {
        const prompts = [...document.querySelectorAll(
          '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
        return prompts.length > 0 && prompts.every((p) => /\[\d+\]/.test(p.textContent));
      }, null, { timeout: RUN_TIMEOUT, polling: 250 });
    log(`all cells ran in ${((Date.now() - runStart) / 1000).toFixed(1)} s`);

    // No error output: JupyterLab renders kernel errors (and stderr) with this MIME type.
    const report = await page.evaluate(() => {
      const root = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
      const errors = [...root.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map((o) => o.textContent.slice(0, 800));
      const imgs = [...root.querySelectorAll('.jp-OutputArea-output img')];
      return {
        errors,
        images: imgs.map((i) => ({ w: i.naturalWidth, h: i.naturalHeight, done: i.complete,
          type: i.src.slice(0, 30) })),
        text: root.innerText,
      };
    });
    if (report.errors.length) throw new Error(`error output in the notebook:\n${report.errors.join('\n---\n')}`);
    // Charts with a Vega-Lite spec are drawn by JupyterLab's Vega renderer (it prefers the spec
    // to the SVG), with a non-empty picture.
    for (const needle of EXPECT.vega || []) {
      await page.waitForFunction((n) => {
        const cell = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')]
          .find((c) => c.querySelector('.jp-InputArea-editor')?.textContent.includes(n));
        const drawn = cell?.querySelector('.jp-OutputArea-output .vega-embed :is(svg, canvas)');
        if (!drawn) return false;
        const box = drawn.getBoundingClientRect();
        return box.width > 50 && box.height > 50;
      }, needle, { timeout: 30_000 }).catch(() => {
        throw new Error(`JupyterLab drew no Vega-Lite chart for the cell ${JSON.stringify(needle)}`);
      });
    }
    if (EXPECT.vega?.length) log(`Vega-Lite charts drawn for: ${EXPECT.vega.join(', ')}`);
    // The first chart answers the pointer: sweeping it crosses its curves, and over one of them
    // vega-tooltip shows the values there, titled as the axes are.
    if (EXPECT.vega?.length) {
      const tip = await hoverTooltip(page, EXPECT.vega[0]);
      if (!tip.includes(EXPECT.tooltip)) {
        throw new Error(`hovering the chart of ${JSON.stringify(EXPECT.vega[0])} showed no tooltip `
          + `with ${JSON.stringify(EXPECT.tooltip)} (got ${JSON.stringify(tip)})`);
      }
      log(`hover tooltip over ${JSON.stringify(EXPECT.vega[0])}: ${JSON.stringify(tip)}`);
    }
    // The same from JupyterLab's own model: save the notebook and read it back from the server.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+s');
    await page.waitForFunction(
      () => !document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')
        ?.closest('body').querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty'),
      null, { timeout: 30_000 });
    const saved = await (await fetch(`${base}/api/contents/${name}?token=${token}`)).json();
    const cells = saved.content.cells.filter((c) => c.cell_type === 'code');
    const errorOutputs = cells.flatMap((c) => c.outputs).filter((o) => o.output_type === 'error');
    if (errorOutputs.length) throw new Error(`saved notebook has error outputs: ${JSON.stringify(errorOutputs).slice(0, 2000)}`);
    const unrun = cells.filter((c) => c.execution_count === null).length;
    if (unrun) throw new Error(`${unrun} code cells have no execution count in the saved notebook`);
    // What the saved notebook weighs, and what the charts' outputs hold (JupyterLab's Vega
    // renderer adds a PNG of its own to an output that has none).
    const charts = cells.flatMap((c) => c.outputs)
      .filter((o) => o.data?.['application/vnd.vegalite.v5+json']);
    const chartBytes = charts.reduce((n, o) => n + (o.data['image/png'] || '').length
      + JSON.stringify(o.data['application/vnd.vegalite.v5+json'], null, 1).length, 0);
    log(`saved notebook: ${JSON.stringify(saved.content, null, 1).length} bytes as JSON, of which`
      + ` ${chartBytes} are the Vega-Lite specs of ${charts.length} charts and the PNGs`
      + ' JupyterLab\'s renderer added to them');
    for (const needle of EXPECT.vega || []) {
      const cell = cells.find((c) => [].concat(c.source).join('').includes(needle));
      const sizes = (cell?.outputs || []).flatMap((o) => Object.entries(o.data || {}))
        .map(([mime, v]) => `${mime} ${(typeof v === 'string' ? v : JSON.stringify(v)).length}`);
      log(`saved outputs of ${JSON.stringify(needle)}: ${sizes.join(', ')}`);
    }
    const imageOutputs = cells.flatMap((c) => c.outputs)
      .filter((o) => Object.keys(o.data || {}).some((m) => m.startsWith('image/'))).length;
    log(`saved notebook: ${cells.length} code cells run, ${imageOutputs} image outputs, no errors`);
    const rendered = report.images.filter((i) => i.done && i.w > 0 && i.h > 0);
    log(`${rendered.length} of ${report.images.length} images rendered`);
    if (report.images.length < EXPECT.minImages) throw new Error(`expected at least ${EXPECT.minImages} images, found ${report.images.length}`);
    if (rendered.length !== report.images.length) throw new Error(`images not rendered: ${JSON.stringify(report.images)}`);
    for (const expected of EXPECT.texts) {
      if (!report.text.includes(expected)) throw new Error(`the page does not show ${JSON.stringify(expected)}`);
    }
    const acc = new RegExp(EXPECT.accuracy).exec(report.text);
    if (!acc || Number(acc[1]) < EXPECT.minAccuracy) throw new Error(`test accuracy below ${EXPECT.minAccuracy} or missing: ${acc && acc[1]}`);
    log(`test accuracy ${acc[1]}`);
    if (consoleErrors.length) log(`page errors (not failing): ${consoleErrors.join(' | ')}`);

    // The screenshot: the digit grid and the training curves, as JupyterLab rendered them.
    await screenshot(page);
    log(`screenshot saved to ${SCREENSHOT}`);
  } catch (e) {
    failed = true;
    console.error(`[browser] FAILED: ${e.stack || e}`);
    try {
      const page = browser?.pages()[0];
      if (page) {
        const fail = SCREENSHOT.replace(/\.png$/, '') + '-failure.png';
        await page.screenshot({ path: fail });
        console.error(`[browser] failure screenshot: ${fail}`);
      }
    } catch { /* best effort */ }
    console.error(`[browser] JupyterLab log (last lines):\n${fs.readFileSync(serverLog, 'utf8').split('\n').slice(-40).join('\n')}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    // A clean shutdown first: the server stops its kernels, then exits.
    await fetch(`http://127.0.0.1:${port}/api/shutdown?token=${token}`, { method: 'POST' })
      .catch(() => {});
    for (let i = 0; i < 40 && server.exitCode === null && server.signalCode === null; i++) await new Promise((r) => setTimeout(r, 250));
    stopServer();
    await new Promise((r) => setTimeout(r, 1500));
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

// Two views of the same notebook, one above the other, as a learner can arrange them (tab menu >
// New View for Notebook, then drag its tab to the bottom edge): the digit grid on top, the
// training curves below, both as JupyterLab rendered them.
async function screenshot(page) {
  const sidebarTab = page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current');
  if (await sidebarTab.count()) await sidebarTab.first().click();
  const tabs = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: path.basename(NOTEBOOK) });
  await tabs.first().click({ button: 'right' });
  await page.locator('.lm-Menu-itemLabel', { hasText: /^New View for Notebook$/ }).click();
  const views = '.jp-NotebookPanel:not(.lm-mod-hidden)';
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 2, views,
    { timeout: 30_000 });
  await page.waitForTimeout(500);
  // Drag the new view's tab to the bottom edge of the main area.
  const dock = await page.locator('#jp-main-dock-panel').boundingBox();
  const tab = await tabs.last().boundingBox();
  await page.mouse.move(tab.x + tab.width / 2, tab.y + tab.height / 2);
  await page.mouse.down();
  await page.mouse.move(tab.x + tab.width / 2 + 20, tab.y + 40, { steps: 5 });
  await page.mouse.move(dock.x + dock.width / 2, dock.y + dock.height - 8, { steps: 20 });
  await page.waitForTimeout(300);
  await page.mouse.up();
  await page.waitForTimeout(1500);
  const stacked = await page.evaluate((sel) => {
    const [a, b] = [...document.querySelectorAll(sel)].map((p) => p.getBoundingClientRect());
    return Math.abs(a.left - b.left) < 5 && Math.abs(a.top - b.top) > 100;
  }, views);
  log(`screenshot layout: ${stacked ? 'views stacked' : 'views side by side'}`);
  // Each view shows one of the cells named in EXPECT.shots (their outputs).
  await page.evaluate(([sel, shots]) => {
    const panels = [...document.querySelectorAll(sel)]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top
        || a.getBoundingClientRect().left - b.getBoundingClientRect().left);
    const find = (p, needle) => [...p.querySelectorAll('.jp-CodeCell')]
      .find((c) => c.querySelector('.jp-InputArea-editor')?.textContent.includes(needle));
    panels.forEach((p, i) => find(p, shots[i]).scrollIntoView({ block: 'end' }));
  }, [views, EXPECT.shots]);
  await page.mouse.click(dock.x + dock.width - 5, dock.y + dock.height - 5);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: SCREENSHOT });
}

main().catch((e) => { console.error(e); process.exit(1); });
