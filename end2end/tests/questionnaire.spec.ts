import { test, expect } from '@playwright/test';
import { answerAll, expectAccessible, expectNoHorizontalScroll, privateCheckIn, agreeToPolicy } from './helpers';

// axe runs inside the page, so accessibility scans happen in the JavaScript-on tests; the
// server-rendered error state they scan is the same HTML a no-JavaScript client gets.

const SECTIONS = 6;

test.describe('with JavaScript on (hydrated island)', () => {
  test('a client answers every section without a page reload and sees their result', async ({ page, baseURL }) => {
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(baseURL!)) foreign.push(r.url());
    });

    await page.goto('/');
    await expect(page.locator('.practice-name')).toHaveText('Harbour Couples Practice');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Start the questionnaire' }).click();
    // The practice's privacy policy comes first; agreeing without the tick is refused at the box.
    await expect(page).toHaveURL(/\/start\??$/);
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    await expect(page.locator('#agree-error')).toContainText('Please tick the box');
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await agreeToPolicy(page);
    await expect(page).toHaveURL(/\/q\/[A-Za-z0-9_-]{43}\/s\/1$/);
    await expect(page.locator('form.questionnaire[data-ready="true"]')).toBeVisible();

    // A marker that a full page load would wipe out.
    await page.evaluate(() => ((window as any).__noReload = true));

    // Continuing with nothing answered: a message next to every statement, at once.
    const firstCount = await page.locator('fieldset.question').count();
    // Asked first, so nothing after it assumes who broke trust.
    await expect(page.locator('fieldset.question').first()).toHaveClass(/framing/);
    await expect(page.locator('fieldset.question.framing legend')).toContainText('What has most affected trust between you?');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(page.locator('.field-error')).toHaveCount(firstCount);
    await expect(page).toHaveURL(/\/s\/1$/);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    // Answering a statement clears its message.
    await page.locator('fieldset.question').first().locator('label.choice').nth(3).click();
    await expect(page.locator('.field-error')).toHaveCount(firstCount - 1);

    await answerAll(page);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(page.locator('#progress-label')).toHaveText(`Section 2 of ${SECTIONS}`);
    await expect(page).toHaveURL(/\/s\/2$/);
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

    // Two answers in section 2, then a reload: both are still chosen (saved as they were clicked).
    const q = page.locator('fieldset.question');
    await q.nth(0).locator('label.choice').nth(0).click();
    await q.nth(1).locator('label.choice').nth(4).click();
    await expect(page.locator('.save-status')).toHaveText('Saved.');
    await page.reload();
    await expect(page.locator('form.questionnaire[data-ready="true"]')).toBeVisible();
    await expect(q.nth(0).locator('input[type=radio]').nth(0)).toBeChecked();
    await expect(q.nth(1).locator('input[type=radio]').nth(4)).toBeChecked();

    // Back to section 1: its answers are kept.
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(page.locator('#progress-label')).toHaveText(`Section 1 of ${SECTIONS}`);
    await expect(page.locator('fieldset.question input:checked')).toHaveCount(firstCount);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(page.locator('#progress-label')).toHaveText(`Section 2 of ${SECTIONS}`);

    for (let section = 2; section <= SECTIONS; section++) {
      await expect(page.locator('#progress-label')).toHaveText(`Section ${section} of ${SECTIONS}`);
      if (section === 4) {
        // "Doesn't apply to me" where a statement assumes a part in breaking trust, and only there.
        const own = page.locator('fieldset.question', { hasText: 'If I did things that hurt trust' });
        await expect(own.getByText("Doesn't apply to me")).toBeVisible();
        await expect(page.locator('label.choice', { hasText: "Doesn't apply to me" })).toHaveCount(3);
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      }
      await answerAll(page);
      const label = section === SECTIONS ? 'Submit my answers' : 'Save and continue';
      await page.getByRole('button', { name: label }).click();
    }

    // The private check-in comes before the summary, for everyone, with support beside it.
    await expect(page).toHaveURL(/\/private$/);
    const support = page.getByRole('complementary', { name: 'If you need support' });
    await expect(support).toContainText('National Domestic Violence Hotline');
    await expect(support.getByRole('link', { name: 'Call 1-800-799-7233' })).toBeVisible();
    await expectAccessible(page);
    await privateCheckIn(page);
    await expect(page.locator('h1')).toHaveText('Your summary');
    await expect(page.getByText('This is not a diagnosis.')).toBeVisible();
    // In words, never numbers: four areas and "Owning your part", the same rows for everyone.
    await expect(page.locator('.dimension')).toHaveCount(5);
    await expect(page.locator('.dimension-level')).toHaveCount(4);
    await expect(page.locator('main')).not.toContainText('/ 100');
    // "End my private link" comes before the areas.
    await expect(page.locator('section.keep-private')).toContainText('End my private link');
    await expect(page.locator('ol.ways > li')).toHaveCount(5);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    expect(foreign).toEqual([]);
  });

  test("the browser's back button returns to the previous section with its answers", async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Start the questionnaire' }).click();
    await agreeToPolicy(page);
    await expect(page.locator('form.questionnaire[data-ready="true"]')).toBeVisible();
    const count = await answerAll(page);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(page.locator('#progress-label')).toHaveText(`Section 2 of ${SECTIONS}`);
    await page.goBack();
    await expect(page).toHaveURL(/\/s\/1$/);
    await expect(page.locator('#progress-label')).toHaveText(`Section 1 of ${SECTIONS}`);
    await expect(page.locator('fieldset.question input:checked')).toHaveCount(count);
  });

  test('quick exit leaves at once and Back does not return to the questionnaire', async ({ page }) => {
    await page.route('https://weather.example/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>Weather</title><h1>Weather</h1>' }),
    );
    await page.goto('/');
    await page.getByRole('button', { name: 'Start the questionnaire' }).click();
    await agreeToPolicy(page);
    await expect(page.locator('form.questionnaire[data-ready="true"]')).toBeVisible();
    await page.getByRole('link', { name: 'Quick exit' }).click();
    await expect(page).toHaveURL('https://weather.example/');
    await page.goBack();
    // The questionnaire page was replaced in the history: Back lands on the start page.
    await expect(page).not.toHaveURL(/\/q\//);
  });

  test('the questionnaire can be answered with the keyboard alone', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Start the questionnaire' }).focus();
    await page.keyboard.press('Enter');
    await agreeToPolicy(page, 'keyboard');
    await expect(page.locator('form.questionnaire[data-ready="true"]')).toBeVisible();
    const first = page.locator('fieldset.question').first().locator('input[type=radio]').first();
    await first.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('fieldset.question').first().locator('input[type=radio]').nth(1)).toBeChecked();
  });
});

test.describe('with JavaScript off (plain forms)', () => {
  test.use({ javaScriptEnabled: false });

  test('a client completes the questionnaire with server-rendered forms', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Start the questionnaire' }).click();
    await agreeToPolicy(page);
    await expect(page).toHaveURL(/\/s\/1$/);

    // Skipping a statement: the page comes back with a message next to it, answers kept.
    const count = await page.locator('fieldset.question').count();
    const questions = page.locator('fieldset.question');
    for (let i = 0; i < count; i++) {
      if (i !== 2) await questions.nth(i).locator('label.choice').nth(1).click();
    }
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(page).toHaveURL(/\/s\/1\?check=1$/);
    await expect(page.locator('.field-error')).toHaveCount(1);
    await expect(page.locator('fieldset.question.unanswered')).toHaveCount(1);
    await expect(page.locator('fieldset.question input:checked')).toHaveCount(count - 1);

    await questions.nth(2).locator('label.choice').nth(3).click();
    await page.getByRole('button', { name: 'Save and continue' }).click();
    for (let section = 2; section <= SECTIONS; section++) {
      await expect(page.locator('#progress-label')).toHaveText(`Section ${section} of ${SECTIONS}`);
      await answerAll(page);
      if (section === SECTIONS) {
        await page.getByLabel(/Anything you would like the practice to know/).fill('Evenings are best.');
      }
      const label = section === SECTIONS ? 'Submit my answers' : 'Save and continue';
      await page.getByRole('button', { name: label }).click();
    }
    await privateCheckIn(page);
    await expect(page.getByText('This is not a diagnosis.')).toBeVisible();
    await expectNoHorizontalScroll(page);
  });
});
