import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { agreeToPolicy, expectAccessible, expectNoHorizontalScroll, privateCheckIn, SERVER_BIN, answerSection } from './helpers';

const EMAIL = 'e2e-intake-admin@harbour.example';
const PASSWORD = 'amber willow compass reef';
const QUESTION = 'How old are the children at home?';
const AGES = 'CANARY-AGES-4-and-7';
const DB = 'sqlite://../target/e2e-data/e2e.db';

test.beforeAll(() => {
  try {
    execFileSync(SERVER_BIN, ['create-admin', '--email', EMAIL, '--name', 'Iris Kay', '--password-stdin'], {
      input: `${PASSWORD}\n`,
      env: { ...process.env, DATABASE_URL: DB },
    });
  } catch (e: any) {
    if (e.status !== 3) throw e;
  }
});

async function logIn(page: Page) {
  await page.goto('/staff/login');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

/** A new client from the home page to the intake's first page. */
async function startIntake(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start the questionnaire' }).click();
  await agreeToPolicy(page, 'mouse', false);
}

/** "Yes" to children at home, then the practice's question (missed once, then answered). */
async function answerWithChildren(page: Page) {
  await page
    .getByRole('group', { name: 'Are there children living in your home? (optional)' })
    .getByText('Yes', { exact: true })
    .click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/about\/more$/);
  await expect(page.getByRole('heading', { name: 'A few questions from the practice' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Please check the questions marked below');
  await expect(page.locator('#in_p1-error')).toHaveText('Please answer this question.');
  await page.getByLabel(QUESTION).fill(AGES);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/s\/1$/);
}

test('an admin adds a conditional question; a client answers it with and without JavaScript; the clinician sees it and the partner never does', async ({ browser }) => {
  // The admin adds a required question shown only to clients with children at home.
  const admin = await (await browser.newContext()).newPage();
  await logIn(admin);
  await admin.getByRole('link', { name: 'Intake form' }).click();
  await expect(admin.getByRole('heading', { name: 'Intake form' })).toBeVisible();
  await expectAccessible(admin);
  await admin.getByRole('button', { name: 'Add and publish' }).click();
  await expect(admin.locator('#label-error')).toHaveText('Please write the question.');
  await admin.getByLabel('The question').fill(QUESTION);
  await admin.getByLabel('Kind of answer').selectOption('short_text');
  await admin.getByLabel('Show it').selectOption({ label: 'If “Are there children living in your home?” is “Yes”' });
  await admin.getByLabel(/^Required/).check();
  await admin.getByRole('button', { name: 'Add and publish' }).click();
  await expect(admin.locator('.form-question', { hasText: QUESTION })).toContainText(
    'Shown only if “Are there children living in your home?” is “Yes”.',
  );
  await expectAccessible(admin);

  // A client with JavaScript, on a phone.
  const a = await (await browser.newContext()).newPage();
  await startIntake(a);
  await expectAccessible(a);
  await expectNoHorizontalScroll(a);
  await a.getByLabel('The name you would like us to use (optional)').fill('Sam');
  await answerWithChildren(a);

  // A client without JavaScript gets the same pages and the same checks.
  const noJs = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await startIntake(noJs);
  await answerWithChildren(noJs);

  // Client A finishes and invites a partner, who answers on their own device.
  for (let section = 1; section <= 6; section++) {
    await expect(a.locator('#progress-label')).toHaveText(`Section ${section} of 6`);
    await answerSection(a, 2);
    await a.getByRole('button', { name: section === 6 ? 'Submit my answers' : 'Save and continue' }).click();
  }
  await privateCheckIn(a, 'No');
  const reference = (await a.locator('.reference strong').textContent())!.trim();
  await a.getByRole('button', { name: 'Make a link for my partner' }).click();
  const link = (await a.locator('#invite-link').textContent())!.trim();
  const b = await (await browser.newContext()).newPage();
  await b.goto(new URL(link).pathname);
  await b.getByRole('button', { name: 'Start my questionnaire' }).click();
  await agreeToPolicy(b, 'mouse', false);
  // B's own intake: nothing of A's, and (no children said) not the practice's question.
  await expect(b.locator('main')).not.toContainText(AGES);
  await expect(b.getByLabel('The name you would like us to use (optional)')).toHaveValue('');
  await b.getByRole('button', { name: 'Continue' }).click();
  await expect(b).toHaveURL(/\/s\/1$/);
  await expect(b.locator('body')).not.toContainText(QUESTION);
  await b.goto(b.url().replace(/\/s\/1$/, '/about/more'));
  await expect(b).toHaveURL(/\/about$/);
  await expect(b.locator('body')).not.toContainText(AGES);

  // The clinician sees the answer at the top of the submission, labelled by whose it is.
  await admin.goto(`/staff/submissions/${reference}`);
  const card = admin.locator('.intake-card');
  await expect(card.locator('thead')).toContainText('Partner A (this submission)');
  await expect(card.locator('tr', { hasText: QUESTION })).toContainText(AGES);
  await expect(card.locator('tr', { hasText: 'The name you would like us to use' })).toContainText('Sam');
  await expectAccessible(admin);
});
