import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The server binary under test: the debug build `scripts/test`'s integration tests made. */
export const SERVER_BIN = process.env.E2E_SERVER_BIN ?? '../target/debug/trustbridge';

/**
 * Answers every question on the current section: the `pick(i)`-th choice (0-based) of each
 * statement, and the first option of a framing question ("Mostly something I did", "I want to
 * work on it"), so the statements alone decide the result. Returns how many were answered.
 */
export async function answerAll(page: Page, pick: (index: number) => number = (i) => (i * 2 + 1) % 5) {
  const questions = page.locator('fieldset.question');
  const count = await questions.count();
  for (let i = 0; i < count; i++) {
    const question = questions.nth(i);
    const framing = await question.evaluate((e) => e.classList.contains('framing'));
    await question.locator('label.choice').nth(framing ? 0 : pick(i)).click();
  }
  return count;
}

/** [answerAll] with the same `pick`-th choice for every statement. */
export async function answerSection(page: Page, pick: number) {
  return answerAll(page, () => pick);
}

/** Fails on any axe violation (WCAG 2.1 A and AA rules), listing what was found. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

/** Nothing on the page is wider than the phone's screen. */
export async function expectNoHorizontalScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()?.width ?? 360);
}

/**
 * The private check-in every client answers between the last section and the summary:
 * 'No' is a clear check-in, 'Yes' a positive one; then Continue. Lands on the summary.
 */
export async function privateCheckIn(
  page: Page,
  answer: 'Yes' | 'No' = 'No',
  beforeContinue: (page: Page) => Promise<void> = async () => {},
  lands: RegExp = /\/result$/,
) {
  await expect(page).toHaveURL(/\/private$/);
  await expect(page.getByRole('heading', { name: 'A few private questions' })).toBeVisible();
  // The check-in's questions, not the optional safe-contact ones after them.
  const questions = page.locator('fieldset.question:not(.optional-question)');
  const n = await questions.count();
  for (let i = 0; i < n; i++) {
    const question = questions.nth(i);
    // A clear check-in says "No" to every question but one: speaking freely would feel safe.
    const freely = (await question.locator('legend').innerText()).includes('saying what you really think');
    await question.getByText(freely && answer === 'No' ? 'Yes' : answer, { exact: true }).click();
  }
  await beforeContinue(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(lands);
}

/**
 * The practice's privacy policy every client agrees to before the first question (by mouse,
 * or by keyboard alone), then the intake's "About you" page, left empty. Lands on section 1,
 * or stays on "About you" when `throughIntake` is false.
 */
export async function agreeToPolicy(
  page: Page,
  how: 'mouse' | 'keyboard' = 'mouse',
  throughIntake = true,
) {
  // Before a first question: /start for someone new, the link's own /consent for partner B.
  await expect(page).toHaveURL(/\/(start\??|consent)$/);
  await expect(page.getByRole('heading', { name: 'Before you start: your privacy' })).toBeVisible();
  const box = page.getByLabel('I have read this and agree to go on.');
  const button = page.getByRole('button', { name: 'Agree and continue' });
  if (how === 'keyboard') {
    await box.focus();
    await page.keyboard.press('Space');
    await button.focus();
    await page.keyboard.press('Enter');
  } else {
    await box.check();
    await button.click();
  }
  await expect(page).toHaveURL(/\/about$/);
  await expect(page.getByRole('heading', { name: 'About you' })).toBeVisible();
  if (!throughIntake) return;
  const next = page.getByRole('button', { name: 'Continue' });
  if (how === 'keyboard') {
    await next.focus();
    await page.keyboard.press('Enter');
  } else {
    await next.click();
  }
  await expect(page).toHaveURL(/\/s\/1$/);
}

/** The messages the SMTP sink has received so far (raw RFC 5322 text). */
export function receivedMail(maildir = '../target/e2e-data/maildir'): string[] {
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const dir = path.join(maildir, 'new');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}
