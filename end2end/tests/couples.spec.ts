import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, expectNoHorizontalScroll, privateCheckIn, agreeToPolicy, answerSection } from './helpers';

const A_NOTE = 'CANARY-a-wrote-this-privately-5d1';

/** Answers every section (the `pick`-th choice each time) with `note` on the last. */
async function answerAll(page: Page, pick: number, note = '') {
  for (let section = 1; section <= 6; section++) {
    await expect(page.locator('#progress-label')).toHaveText(`Section ${section} of 6`);
    await answerSection(page, pick);
    if (section === 6 && note) await page.locator('textarea#note').fill(note);
    await page.getByRole('button', { name: section === 6 ? 'Submit my answers' : 'Save and continue' }).click();
  }
}

/** From the summary to the next step. */
async function nextStep(page: Page) {
  await page.getByRole('link', { name: 'Arrange a first consult — together or on your own' }).click();
}

test('two partners answer on their own devices; a private check-in holds booking without telling the other', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();

  await a.goto('/');
  await a.getByRole('button', { name: 'Start the questionnaire' }).click();
  await agreeToPolicy(a);
  await answerAll(a, 3, A_NOTE);
  // A's private check-in is positive, B's (below) is not; the summary looks the same after it.
  await expectAccessible(a);
  await privateCheckIn(a, 'Yes');
  await a.getByRole('button', { name: 'Make a link for my partner' }).click();
  const link = (await a.locator('#invite-link').textContent())!.trim();
  await expectAccessible(a);

  // B opens the link on their own device.
  await b.goto(new URL(link).pathname);
  await expect(b.getByRole('heading', { name: "You've been invited to answer privately" })).toBeVisible();
  await expectAccessible(b);
  await b.getByRole('button', { name: 'Start my questionnaire' }).click();
  await agreeToPolicy(b);
  await answerAll(b, 2);
  await privateCheckIn(b, 'No');
  // A finished first, so B's summary already has the part they share.
  await expect(b.getByRole('heading', { name: 'Your summary together' })).toBeVisible();
  await expect(b.locator('#invite')).toHaveCount(0);

  // Both finished: the next step reads the same for both, whoever's check-in was positive.
  await nextStep(a);
  await expect(a.getByRole('heading', { name: 'Arrange a first consult' })).toBeVisible();
  await nextStep(b);
  await expect(b.getByRole('heading', { name: 'Arrange a first consult' })).toBeVisible();
  await expectAccessible(b);
  await expectNoHorizontalScroll(b);
  const bNext = await b.locator('main').innerText();
  const aNext = await a.locator('main').innerText();
  expect(bNext).toBe(aNext);
  expect(bNext).toContain('Someone from the practice will contact you');
  // Each can still book a private conversation on their own.
  await expect(b.getByRole('link', { name: 'Choose a time on my own' })).toBeVisible();
  for (const word of ['safety', 'afraid', 'positive', 'hold']) expect(bNext.toLowerCase()).not.toContain(word);

  // Both finished: each sees their own scores and the same summary together, never A's note.
  await b.goto(b.url().replace(/\/(book|private).*$/, '/result'));
  await expect(b.getByRole('heading', { name: 'Your summary together' })).toBeVisible();
  await expect(b.locator('body')).not.toContainText(A_NOTE);
  await a.goto(a.url().replace(/\/(book|private).*$/, '/result'));
  expect(await a.locator('.joint-summary').innerText()).toBe(await b.locator('.joint-summary').innerText());
  await expectAccessible(b);
});
