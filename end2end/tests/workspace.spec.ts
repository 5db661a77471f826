import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { expectAccessible, expectNoHorizontalScroll, privateCheckIn, SERVER_BIN, agreeToPolicy, answerSection } from './helpers';

const EMAIL = 'e2e-admin@harbour.example';
const PASSWORD = 'copper meadow lantern tide';

test.beforeAll(() => {
  // The same command an operator runs; the suite's server shares its database file.
  try {
    execFileSync(SERVER_BIN, ['create-admin', '--email', EMAIL, '--name', 'Robin Ames', '--password-stdin'], {
      input: `${PASSWORD}\n`,
      env: { ...process.env, DATABASE_URL: 'sqlite://../target/e2e-data/e2e.db' },
    });
  } catch (e: any) {
    // Exit code 3: the account exists already (a retried run).
    if (e.status !== 3) throw e;
  }
  // Consult hours every day, so the submission page offers times to book for the client.
  execFileSync(
    SERVER_BIN,
    ['set-hours', '--email', EMAIL, '--hours', '13:00-15:00', '--days', 'mon,tue,wed,thu,fri,sat,sun'],
    { env: { ...process.env, DATABASE_URL: 'sqlite://../target/e2e-data/e2e.db' } },
  );
});

test('a clinician logs in, opens a submission and logs out', async ({ page }) => {
  // A client submits first.
  await page.goto('/');
  await page.getByRole('button', { name: 'Start the questionnaire' }).click();
  await agreeToPolicy(page);
  for (let section = 1; section <= 6; section++) {
    await expect(page.locator('#progress-label')).toHaveText(`Section ${section} of 6`);
    await answerSection(page, 2);
    await page.getByRole('button', { name: section === 6 ? 'Submit my answers' : 'Save and continue' }).click();
  }
  // Their private check-in asks for a clinician's review.
  await privateCheckIn(page, 'Yes');
  const reference = (await page.locator('.reference strong').textContent())!.trim();

  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login$/);
  await expectAccessible(page);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill('wrong password entirely');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText("don't match an active account");

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole('heading', { name: 'Submissions' })).toBeVisible();
  // The intakes waiting for first contact come first.
  await expect(page.getByRole('heading', { name: 'Needs review' })).toBeVisible();
  await expect(page.locator('table.review a', { hasText: reference })).toHaveCount(1);
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);

  await page.locator('table.submissions').getByRole('link', { name: reference }).click();
  await expect(page.getByRole('heading', { name: `Submission ${reference}` })).toBeVisible();
  // Every answer in the words it was asked in: version 2's 46 statements and 2 framing questions.
  await expect(page.locator('table.answers tbody tr')).toHaveCount(48);
  await expectAccessible(page);

  await page.getByLabel('Move to', { exact: true }).selectOption({ label: 'Contacted' });
  await page.getByRole('button', { name: 'Move' }).click();
  await expect(page.getByText('Now: Contacted')).toBeVisible();
  await page.getByLabel('Add a private note').fill('Called, will book next week.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.locator('ol.history li')).toHaveCount(2);
  await expect(page.locator('ol.history')).toContainText('Note: Called, will book next week.');
  await expectAccessible(page);

  // The check-in asked for review: the clinician records their first contact with the client.
  const contact = page.locator('form.first-contact-form');
  await contact.getByLabel('How', { exact: true }).selectOption({ label: 'Another way' });
  await contact.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(page.locator('#contact_outcome-error')).toHaveText('Choose what happened.');
  await expectAccessible(page);
  await page.locator('form.first-contact-form').getByLabel('How', { exact: true }).selectOption({ label: 'Another way' });
  await page.locator('form.first-contact-form').getByLabel('What happened').selectOption({ label: 'Spoke with them privately' });
  await page.locator('form.first-contact-form').getByRole('button', { name: 'Record', exact: true }).click();
  await expect(page.locator('ol.first-contacts li')).toHaveCount(1);
  await expect(page.locator('ol.first-contacts')).toContainText('Spoke with them privately');

  // The client agreed a time on the phone: the clinician books it for them.
  const arrange = page.locator('form.arrange-form');
  await arrange.getByLabel(/^Time/).selectOption({ index: 1 });
  await arrange.getByLabel("Client's name").fill('Jordan Reyes');
  await arrange.getByRole('button', { name: 'Book this consult' }).click();
  await expect(page.getByRole('alert')).toContainText('Nothing is booked yet');
  await expect(page.locator('#email-error')).toBeVisible();
  await expect(page.getByLabel("Client's name")).toHaveValue('Jordan Reyes');
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  await page.getByLabel("Client's email").fill('jordan@example.org');
  await page.getByLabel("Client's phone").fill('+1 555 010 0500');
  await page.getByLabel(/The client agreed/).check();
  await page.getByRole('button', { name: 'Book this consult' }).click();
  await expect(page.locator('.booking-card')).toContainText('jordan@example.org');
  await expect(page.getByText('Now: Consult booked')).toBeVisible();
  await expect(page.locator('form.arrange-form')).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Submissions' }).click();
  await page.getByLabel('Workflow').selectOption({ label: 'Consult booked' });
  await page.getByRole('button', { name: 'Filter' }).click();
  // Spoken with privately: no longer waiting for review.
  await expect(page.locator('table.review a', { hasText: reference })).toHaveCount(0);
  await expect(page.getByRole('link', { name: reference })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: reference }).click();

  for (const [link, heading] of [
    ['Consults', 'Consults'],
    ['Clinicians', 'Clinicians'],
    ['Audit log', 'Audit log'],
    ['Email', 'Email'],
    ['Availability', 'Availability'],
    ['Password', 'Change your password'],
  ]) {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectAccessible(page);
    if (link === 'Audit log') await expect(page.locator('table.audit')).toContainText('view submission');
    if (link === 'Consults') await expect(page.getByRole('cell', { name: 'Jordan Reyes' })).toBeVisible();
  }

  // Jordan calls back to cancel: the practice cancels, after ticking to confirm.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Consults' }).click();
  await page.getByRole('link', { name: reference }).click();
  await page.getByRole('button', { name: 'Cancel this consult' }).click();
  await expect(page.locator('#cancel-confirm-error')).toHaveText('Tick the box to confirm the cancellation.');
  await expectAccessible(page);
  await page.getByLabel(/Cancel it: the client is told by email/).check();
  await page.getByRole('button', { name: 'Cancel this consult' }).click();
  await expect(page.locator('.booking-card dd').filter({ hasText: /^Cancelled$/ })).toBeVisible();
  await expect(page.getByText('Now: Contacted')).toBeVisible();

  // Their consults in their own calendar app: an address shown once, on a page that works at 360 px.
  await page.goto('/staff/availability');
  await page.getByRole('link', { name: 'See your consults in your own calendar app' }).click();
  await page.getByRole('button', { name: 'Make my calendar address' }).click();
  await expect(page.locator('code.feed-url')).toContainText('/calendar/');
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/staff\/login$/);
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login$/);
});
