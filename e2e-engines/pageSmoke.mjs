/**
 * The smoke run inside the page, the same in every engine: it is sent to the browser as the source
 * of one async function (WebDriver "execute async script" / BiDi "script.callFunction") and returns
 * plain JSON that `smoke.mjs` checks in Node. Only standard DOM: no test framework in the page.
 */

/**
 * Sample -> table values and the lost-epoch-end finding -> mark epoch 2 complete in
 * last_checkpoint and download it (the anchor click is recorded, the Blob read back) -> share
 * link -> Clear all -> choose a zipped run folder (a File built from `zipBase64`) -> table again.
 * @param {string} zipBase64 a .zip of the sample run folder
 */
export async function pageSmoke(zipBase64) {
  let step = 'start';
  // the steps, as one inner function: the page receives this function's source only
  const steps = async (at) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const until = async (f, what, ms = 45_000) => {
    const t0 = Date.now();
    for (;;) {
      const v = f();
      if (v) return v;
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  };
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
  const button = (text) => $$('button').find((b) => b.textContent.trim() === text);
  const rows = () => $$('[data-testid="checkpoint-table"] tbody tr').map((tr) => $$('td', tr).map((td) => td.textContent.trim()));
  const settled = (n) => rows().length === n && !$('[data-testid="busy"]') && $$('td[data-col="status"]').every((td) => !/reading/.test(td.textContent));
  const errors = [];
  window.addEventListener('error', (e) => errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));
  const downloads = [];
  HTMLAnchorElement.prototype.click = function () {
    // recorded instead of handed to the browser's download manager (no dialog in any engine)
    if (this.download) downloads.push({ name: this.download, href: this.href });
  };
  const out = { errors };

  at('the sample');
  (await until(() => button('Try a sample'), 'the Try a sample button')).click();
  await until(() => settled(5), '5 settled rows from the sample');
  out.sampleRows = rows();
  out.lostEpochEnd = $('[data-finding="lost-epoch-end"]')?.textContent ?? null;
  out.liveFolder = { button: Boolean(button('Open live folder')), note: $('[data-testid="live-unavailable"]')?.textContent ?? null };

  at('the repair'); // mark epoch 2 complete in last_checkpoint, download the repaired training_state.pth
  $$('[data-testid="checkpoint-table"] tbody tr').find((tr) => tr.textContent.includes('last_checkpoint') && !tr.textContent.includes('.backup')).click();
  const card = await until(() => $$('[data-testid="status-card"]').find((c) => $('h2', c)?.textContent === 'last_checkpoint'), 'the last_checkpoint card');
  const epoch = await until(() => $('[data-testid="repair-epoch"]', card), 'the repair epoch field');
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(epoch, '2');
  epoch.dispatchEvent(new Event('input', { bubbles: true }));
  await until(() => /start epoch 3/.test($('[data-testid="repair-preview"]', card)?.textContent ?? ''), 'the repair preview');
  $('[data-testid="repair-button"]', card).click();
  await until(() => $('[data-testid="repair-done"]', card), 'the verified repair');
  $('[data-testid="download-repaired"]', card).click();
  await until(() => downloads.length === 1, 'the download');
  const blob = await (await fetch(downloads[0].href)).blob();
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  out.download = { name: downloads[0].name, size: blob.size, zipMagic: head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4 };

  at('the share link');
  $('[data-testid="copy-link"]').click();
  out.shareLink = (await until(() => $('[data-testid="share-link"]'), 'the share link')).value;

  at('the zipped folder');
  button('Clear all').click();
  await until(() => rows().length === 0, 'an empty table');
  const bytes = Uint8Array.from(atob(zipBase64), (c) => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], 'checkpoints.zip', { type: 'application/zip' }));
  // through "Choose files" (a synthetic drop carries no files in WebKitGTK)
  const input = $('[data-testid="files-input"]');
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await until(() => settled(5), '5 settled rows from the zip');
  out.zipRows = rows();
  return out;
  };
  try {
    return await steps((s) => (step = s));
  } catch (e) {
    throw new Error(`${step}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** In the page opened from a share link: the shared banner and the rows it shows. */
export async function sharedSmoke() {
  const t0 = Date.now();
  for (;;) {
    const rows = [...document.querySelectorAll('[data-testid="checkpoint-table"] tbody tr')];
    if (document.querySelector('[data-testid="shared-banner"]') && rows.length === 5) {
      return { banner: true, rows: rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())) };
    }
    if (Date.now() - t0 > 30_000) return { banner: Boolean(document.querySelector('[data-testid="shared-banner"]')), rows: [] };
    await new Promise((r) => setTimeout(r, 100));
  }
}
