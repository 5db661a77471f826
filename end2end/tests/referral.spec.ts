import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { agreeToPolicy, expectAccessible, expectNoHorizontalScroll, privateCheckIn, receivedMail, SERVER_BIN, answerSection } from './helpers';

const EMAIL = 'e2e-referral@harbour.example';
const PASSWORD = 'amber pier evening tide';
const SAFE_EMAIL = 'a-safe-canary-7e2@example.org';
const DV = 'Canary Bay Domestic Abuse Line';
const DB = { ...process.env, DATABASE_URL: 'sqlite://../target/e2e-data/e2e.db' };

test.beforeAll(() => {
  try {
    execFileSync(SERVER_BIN, ['create-admin', '--email', EMAIL, '--name', 'Imani Cole', '--password-stdin'], {
      input: `${PASSWORD}\n`,
      env: DB,
    });
  } catch (e: any) {
    if (e.status !== 3) throw e;
  }
});

async function answerAll(page: import('@playwright/test').Page) {
  for (let section = 1; section <= 6; section++) {
    await expect(page.locator('#progress-label')).toHaveText(`Section ${section} of 6`);
    await answerSection(page, 3);
    await page.getByRole('button', { name: section === 6 ? 'Submit my answers' : 'Save and continue' }).click();
  }
}

test('an admin imports the directory; a clinician refers one partner, who answers from a phone; the other sees nothing', async ({ browser }) => {
  const staff = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();

  // Partner A (safe email at the check-in) and partner B.
  await a.goto('/');
  await a.getByRole('button', { name: 'Start the questionnaire' }).click();
  await agreeToPolicy(a);
  await answerAll(a);
  await privateCheckIn(a, 'Yes', async (p) => {
    await p.getByLabel('An email address that is safe to use').fill(SAFE_EMAIL);
  });
  const aRef = (await a.locator('.reference strong').textContent())!.trim();
  await a.getByRole('button', { name: 'Make a link for my partner' }).click();
  const link = (await a.locator('#invite-link').textContent())!.trim();
  await b.goto(new URL(link).pathname);
  await b.getByRole('button', { name: 'Start my questionnaire' }).click();
  await agreeToPolicy(b);
  await answerAll(b);
  await privateCheckIn(b, 'No');
  const bResult = b.url();

  // The admin imports a directory CSV at a desk.
  mkdirSync('../target/e2e-data', { recursive: true });
  const csv = '../target/e2e-data/directory.csv';
  writeFileSync(
    csv,
    'name,kind,categories,languages,delivery,phone,url,application_process,assured_date,sliding_scale,accepting_new_clients\n' +
      `${DV},organisation,domestic_violence,English;Spanish,both,0800 555 0199,https://bay-line.example.org,Call any time; ask for an advocate.,2026-11-20,yes,yes\n` +
      'Lantern Counselling,clinician,individual_therapy,English,telehealth,555 0110,,Email first.,2026-10-01,no,yes\n',
  );
  await staff.goto('/staff/login');
  await staff.getByLabel('Email').fill(EMAIL);
  await staff.getByLabel('Password').fill(PASSWORD);
  await staff.getByRole('button', { name: 'Log in' }).click();
  await staff.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Directory' }).click();
  await staff.getByLabel(/Import a CSV/).setInputFiles(csv);
  await staff.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(staff.getByRole('status')).toHaveText('Imported 2 entries.');
  await expect(staff.locator('table.directory tbody tr')).toHaveCount(2);
  await expectAccessible(staff);

  // A clinician refers partner A to the domestic-violence service.
  await staff.goto(`/staff/submissions/${aRef}`);
  const form = staff.locator('form.refer-form');
  await expect(form).toContainText(SAFE_EMAIL);
  await form.getByRole('button', { name: 'Send the referral' }).click();
  await expect(staff.locator('#reason-error')).toBeVisible();
  await expectAccessible(staff);
  await staff.locator('form.refer-form').getByLabel(/^Reason/).selectOption({ label: 'Safety' });
  await staff.locator('form.refer-form').getByLabel(new RegExp(DV)).check();
  await staff.locator('form.refer-form').getByRole('button', { name: 'Send the referral' }).click();
  await expect(staff.locator('.referrals-card')).toContainText('Sent, no answer yet');
  await expect(staff.getByText('Now: Referred out')).toBeVisible();

  // A's list arrives in the real SMTP sink, at A's safe address; A answers from the phone.
  await expect
    .poll(() => receivedMail().filter((m) => m.includes(`To: ${SAFE_EMAIL}`) && m.includes(DV)).length, { timeout: 20_000 })
    .toBe(1);
  const mail = receivedMail().find((m) => m.includes(`To: ${SAFE_EMAIL}`) && m.includes(DV))!;
  expect(mail).not.toMatch(/safety/i);
  const connected = mail.replace(/=\r?\n/g, '').match(/https?:\/\/[^\s"<>]+\/r\/[A-Za-z0-9_-]{43}\/connected/)![0];
  await a.goto(new URL(connected).pathname);
  await expectAccessible(a);
  await a.getByRole('button', { name: "I've connected" }).click();
  await expect(a.getByRole('status')).toHaveText('Thank you. The practice has been told.');
  await expect(a.locator('main')).toContainText(DV);
  await expectAccessible(a);
  await expectNoHorizontalScroll(a);

  // The workspace shows it; B's pages show nothing of it.
  await staff.reload();
  await expect(staff.locator('.referrals-card')).toContainText('Connected');
  for (const path of [bResult, bResult.replace(/\/result$/, '/book'), bResult.replace(/\/result$/, '/book?for=client')]) {
    await b.goto(path);
    await expect(b.locator('body')).not.toContainText(DV);
    await expect(b.locator('body')).not.toContainText('Contacts from');
  }
  expect(receivedMail().filter((m) => m.includes(DV)).length).toBe(1);
});
