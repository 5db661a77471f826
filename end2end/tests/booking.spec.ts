import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { expectAccessible, expectNoHorizontalScroll, privateCheckIn, SERVER_BIN, agreeToPolicy, answerSection } from './helpers';

const EMAIL = 'e2e-hours@harbour.example';
const PASSWORD = 'amber harbour kettle spruce';
const DB = { ...process.env, DATABASE_URL: 'sqlite://../target/e2e-data/e2e.db' };

test.beforeAll(() => {
  // The operator's commands: an account, then the hours it offers consults in (every day).
  try {
    execFileSync(SERVER_BIN, ['create-admin', '--email', EMAIL, '--name', 'Kai Morgan', '--password-stdin'], {
      input: `${PASSWORD}\n`,
      env: DB,
    });
  } catch (e: any) {
    if (e.status !== 3) throw e;
  }
  execFileSync(
    SERVER_BIN,
    ['set-hours', '--email', EMAIL, '--hours', '09:00-10:00', '--days', 'mon,tue,wed,thu,fri,sat,sun'],
    { env: DB },
  );
});

/** Answers the whole questionnaire and lands on the summary. */
async function finishQuestionnaire(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start the questionnaire' }).click();
  await agreeToPolicy(page);
  for (let section = 1; section <= 6; section++) {
    await expect(page.locator('#progress-label')).toHaveText(`Section ${section} of 6`);
    await answerSection(page, 3);
    await page.getByRole('button', { name: section === 6 ? 'Submit my answers' : 'Save and continue' }).click();
  }
  await privateCheckIn(page);
}

test('a client in Berlin books a consult and sees it in their own time', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  await finishQuestionnaire(page);
  await page.getByRole('link', { name: 'Arrange a first consult — together or on your own' }).click();

  // The browser's zone is detected: the menu switches to Berlin by itself.
  await expect(page).toHaveURL(/tz=Europe%2FBerlin/);
  await expectAccessible(page);
  await expect(page.getByLabel('Show times in')).toHaveValue('Europe/Berlin');
  await expect(page.getByText('The practice works in America/New York time.')).toBeVisible();
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);

  // Practice hours 09:00 in New York are 15:00 in Berlin (both on standard or both on summer time
  // except a few weeks a year; the first slot's label is checked against the browser's clock).
  const first = page.locator('input[name=slot]').first();
  const value = (await first.getAttribute('value'))!;
  const expected = await page.evaluate(
    (v) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(v)),
    value,
  );
  await expect(page.locator('label.slot').first()).toHaveText(expected);
  await page.locator('label.slot').first().click();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { name: 'Confirm your consult' })).toBeVisible();
  await expectAccessible(page);
  // Sending it empty marks each field, keeps what was typed, and books nothing.
  await page.getByLabel('Your name').fill('Sam Rivera');
  await page.getByRole('button', { name: 'Book this consult' }).click();
  await expect(page.getByRole('alert')).toContainText('Nothing is booked yet');
  await expect(page.locator('#email-error')).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveValue('Sam Rivera');
  await expectAccessible(page);

  await page.getByLabel('Email').fill('sam@example.org');
  await page.getByLabel('Phone').fill('+49 30 1234 5678');
  await page.getByLabel('The practice may use these details').check();
  await page.getByRole('button', { name: 'Book this consult' }).click();
  await expect(page.getByRole('heading', { name: 'Your consult is booked' })).toBeVisible();
  await expect(page.locator('.chosen-time')).toContainText('Europe/Berlin time');
  await expect(page.locator('.chosen-time')).toContainText(expected);
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);

  // Axe needs JavaScript, so this run checks behaviour only (the run above scans these pages).
  await page.getByRole('link', { name: 'Move to another time' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new time' })).toBeVisible();
  await page.locator('label.slot').nth(2).click();
  await page.getByRole('button', { name: 'Move my consult' }).click();
  await expect(page.getByRole('status')).toContainText('Your consult has moved');
  await context.close();
});

test('without JavaScript a client picks their zone, books, then moves the consult', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await finishQuestionnaire(page);
  await page.getByRole('link', { name: 'Arrange a first consult — together or on your own' }).click();
  await expect(page.getByLabel('Show times in')).toHaveValue('America/New_York');
  await expect(page.locator('label.slot').first()).toHaveText('09:00');
  await page.getByLabel('Show times in').selectOption('Asia/Tokyo');
  await page.getByRole('button', { name: 'Show times' }).click();
  await expect(page).toHaveURL(/tz=Asia%2FTokyo/);
  // 09:00 in New York is 23:00 in Tokyo, on standard time.
  await expect(page.locator('label.slot').first()).toHaveText(/^(23|22):00$/);

  await page.locator('label.slot').nth(1).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Your name').fill('Jo');
  await page.getByLabel('Email').fill('jo@example.org');
  await page.getByLabel('Phone').fill('555 0100');
  await page.getByLabel('The practice may use these details').check();
  await page.getByRole('button', { name: 'Book this consult' }).click();
  await expect(page.getByRole('heading', { name: 'Your consult is booked' })).toBeVisible();

  // Axe needs JavaScript, so this run checks behaviour only (the run above scans these pages).
  await page.getByRole('link', { name: 'Move to another time' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new time' })).toBeVisible();
  await page.locator('label.slot').nth(2).click();
  await page.getByRole('button', { name: 'Move my consult' }).click();
  await expect(page.getByRole('status')).toContainText('Your consult has moved');
  await context.close();
});
