import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import {
  agreeToPolicy,
  expectAccessible,
  expectNoHorizontalScroll,
  privateCheckIn,
  receivedMail,
  SERVER_BIN,
  answerSection,
} from './helpers';

const EMAIL = 'e2e-safety@harbour.example';
const PASSWORD = 'quiet harbour morning light';
const SAFE_EMAIL = 'safe-canary-91d@example.org';
const DB = { ...process.env, DATABASE_URL: 'sqlite://../target/e2e-data/e2e.db' };

test.beforeAll(() => {
  try {
    execFileSync(SERVER_BIN, ['create-admin', '--email', EMAIL, '--name', 'Noor Haddad', '--password-stdin'], {
      input: `${PASSWORD}\n`,
      env: DB,
    });
  } catch (e: any) {
    if (e.status !== 3) throw e;
  }
  execFileSync(SERVER_BIN, ['set-hours', '--email', EMAIL, '--hours', '16:00-17:00', '--days', 'mon,tue,wed,thu,fri,sat,sun'], {
    env: DB,
  });
});

test('a client at risk is screened in private, sees support and a private route; the practice is told and follows up', async ({ page }) => {
  // On a phone: the policy first, then the questionnaire.
  await page.goto('/');
  await page.getByRole('button', { name: 'Start the questionnaire' }).click();
  await expect(page.getByRole('heading', { name: 'When the practice must share information' })).toBeVisible();
  await agreeToPolicy(page);
  for (let section = 1; section <= 6; section++) {
    await expect(page.locator('#progress-label')).toHaveText(`Section ${section} of 6`);
    await answerSection(page, 1);
    await page.getByRole('button', { name: section === 6 ? 'Submit my answers' : 'Save and continue' }).click();
  }

  // The check-in: support on the page, and a safe way to be reached (optional, asked of all).
  await expect(page.locator('.support-panel')).toContainText('1-800-799-7233');
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  const typo = async (p: typeof page) => {
    await p.getByLabel('An email address that is safe to use').fill('not an address');
  };
  await privateCheckIn(page, 'Yes', typo, /\/private$/);
  // A refused detail keeps everything and says why, at the field.
  await expect(page.locator('#safe_email-error')).toContainText('does not look like an email address');
  await expect(page.getByLabel('An email address that is safe to use')).toHaveValue('not an address');
  await expectAccessible(page);
  await page.getByLabel('An email address that is safe to use').fill(SAFE_EMAIL);
  await page.locator('fieldset.optional-question', { hasText: 'calendar file' }).getByText('No', { exact: true }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/result$/);
  const reference = (await page.locator('.reference strong').textContent())!.trim();

  // The summary and the private route: support again, and a time on their own.
  await expect(page.locator('.support-panel')).toContainText('1-800-799-7233');
  await expect(page.locator('main')).not.toContainText(SAFE_EMAIL);
  // Changing how to be reached: an empty form (nothing shown back), saved in place of the old.
  await page.getByRole('link', { name: 'Change how the practice can reach you' }).click();
  await expect(page.getByRole('heading', { name: 'How the practice can reach you', exact: true })).toBeVisible();
  await expect(page.getByLabel('An email address that is safe to use')).toHaveValue('');
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  await page.getByLabel('An email address that is safe to use').fill(SAFE_EMAIL);
  await page.getByLabel('A phone number that is safe to call').fill('+1 555 010 4242');
  await page.locator('fieldset.optional-question', { hasText: 'calendar file' }).getByText('No', { exact: true }).click();
  await page.getByRole('button', { name: 'Save these details' }).click();
  await expect(page.getByRole('status')).toContainText('Saved.');
  await page.getByRole('link', { name: 'Back to your summary' }).click();
  await page.getByRole('link', { name: 'Arrange a first consult — together or on your own' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a time for your first consult' })).toBeVisible();
  // The picker switches to the browser's own zone by itself first.
  await expect(page).toHaveURL(/tz=/);
  await expect(page.locator('input[name=slot]').first()).toBeAttached();
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);

  // The practice's alert arrives in the real SMTP sink: the reference, and no safety words.
  await expect
    .poll(() => receivedMail().filter((m) => m.includes(`An intake needs review today (${reference})`)).length, {
      timeout: 20_000,
    })
    .toBe(1);
  const alert = receivedMail().find((m) => m.includes(`(${reference})`))!;
  expect(alert).toContain('To: intake@harbour.example');
  for (const word of ['safety', 'afraid', 'violence', 'check-in', SAFE_EMAIL]) expect(alert.toLowerCase()).not.toContain(word.toLowerCase());

  // A clinician sees it first in the queue, records first contact, and the queue clears.
  await page.goto('/staff/login');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  const queued = page.locator('table.review tr', { hasText: reference });
  await expect(queued).toContainText('Urgent: today');
  await queued.getByRole('link', { name: reference }).click();
  const card = page.locator('.safety-pathway');
  await expect(card).toContainText(`Safe email: ${SAFE_EMAIL}`);
  await expect(card).toContainText('Safe phone: +1 555 010 4242');
  await expect(card).toContainText('No calendar file with emails');
  await expect(card).toContainText('whether they are somewhere private');
  await expectAccessible(page);
  const form = page.locator('form.first-contact-form');
  await form.getByLabel('How', { exact: true }).selectOption({ label: 'The safe email they gave' });
  await form.getByLabel('What happened').selectOption({ label: 'Spoke with them privately' });
  await form.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(page.locator('ol.first-contacts')).toContainText('Spoke with them privately');
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Submissions' }).click();
  await expect(page.locator('table.review a', { hasText: reference })).toHaveCount(0);
  await page.getByRole('button', { name: 'Log out' }).click();
});
