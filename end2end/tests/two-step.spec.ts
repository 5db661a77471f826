import { test, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { expectAccessible, expectNoHorizontalScroll, SERVER_BIN } from './helpers';

const EMAIL = 'e2e-two-step@harbour.example';
const PASSWORD = 'amber harbour willow signal';

/** The 6-digit code an authenticator app shows for a base32 `secret`, `ahead` steps from now. */
function code(secret: string, ahead = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const key: number[] = [];
  for (const c of secret.toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      key.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + ahead));
  const h = createHmac('sha1', Buffer.from(key)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  const n = (((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1_000_000;
  return n.toString().padStart(6, '0');
}

test.beforeAll(() => {
  try {
    execFileSync(SERVER_BIN, ['create-admin', '--email', EMAIL, '--name', 'Sol Reyes', '--password-stdin'], {
      input: `${PASSWORD}\n`,
      env: { ...process.env, DATABASE_URL: 'sqlite://../target/e2e-data/e2e.db' },
    });
  } catch (e: any) {
    if (e.status !== 3) throw e;
  }
});

test('a clinician turns on two-step sign-in on a phone and signs in with a code', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/staff/login');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/staff$/);

  await page.getByRole('link', { name: 'Two-step sign-in' }).click();
  await expect(page.getByRole('heading', { name: 'Turn on two-step sign-in' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  const secret = (await page.locator('code.secret').textContent())!.replace(/\s/g, '');

  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.locator('#code-error')).toContainText("didn't work");
  await expect(page.getByLabel('Code from the app')).toHaveAttribute('aria-describedby', 'code-error');
  await expectAccessible(page);

  await page.getByLabel('Code from the app').fill(code(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  await expect(page.locator('ul.recovery-codes li')).toHaveCount(10);
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/staff\/login\/code$/);
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  // The code that turned it on has been used: the next one signs in.
  await page.getByLabel('Code').fill(code(secret, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole('heading', { name: 'Submissions' })).toBeVisible();
});
